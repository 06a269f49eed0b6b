package io.userpipe.commands.topology;

import io.userpipe.commands.domain.Command;
import io.userpipe.commands.domain.CommandEnvelope;
import io.userpipe.commands.domain.Connection;
import io.userpipe.commands.domain.Event;
import io.userpipe.commands.domain.FormNames;
import io.userpipe.commands.domain.PayoutMethod;
import io.userpipe.commands.domain.PendingCode;
import io.userpipe.commands.domain.Phone;
import io.userpipe.commands.domain.Profile;
import io.userpipe.commands.domain.Rejection;
import io.userpipe.commands.domain.User;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.schemas.AddPayoutMethod;
import io.userpipe.schemas.Address;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.ConnectionConfirmed;
import io.userpipe.schemas.ConnectionRequested;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.DefaultPayoutMethodChanged;
import io.userpipe.schemas.DeleteUser;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.EraseUser;
import io.userpipe.schemas.ErasureHeld;
import io.userpipe.schemas.MetadataChanged;
import io.userpipe.schemas.PayoutDetails;
import io.userpipe.schemas.PayoutMethodAdded;
import io.userpipe.schemas.PayoutMethodRemoved;
import io.userpipe.schemas.PayoutMethodSummary;
import io.userpipe.schemas.PhoneNumber;
import io.userpipe.schemas.PlatformData;
import io.userpipe.schemas.PlatformDisconnected;
import io.userpipe.schemas.RemovePayoutMethod;
import io.userpipe.schemas.RewrapUserKey;
import io.userpipe.schemas.ScreeningName;
import io.userpipe.schemas.ScreeningNames;
import io.userpipe.schemas.SendVerificationToken;
import io.userpipe.schemas.SubmitCompliance;
import io.userpipe.schemas.TinCheck;
import io.userpipe.schemas.TinSubmitted;
import io.userpipe.schemas.UpdateUser;
import io.userpipe.schemas.UserAggregate;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserDeleted;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserProfile;
import io.userpipe.schemas.UserUpdated;
import io.userpipe.schemas.UserVerified;
import io.userpipe.schemas.VerificationAttemptFailed;
import io.userpipe.schemas.VerificationTokenIssued;
import io.userpipe.schemas.VerifyUser;
import io.userpipe.schemas.W8BenSubmission;
import io.userpipe.schemas.W8BenSubmitted;
import io.userpipe.schemas.W9Submission;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The one place where the wire contracts (Avro) meet the domain records, and where personal data is
 * sealed on the way out and opened on the way in.
 */
final class AvroMapping {

  private final Sealing sealing;

  AvroMapping(Sealing sealing) {
    this.sealing = sealing;
  }

  /** The domain command, or empty for a payload this version does not decide. */
  Optional<CommandEnvelope> toDomain(UserCommand c) {
    Object p = c.getPayload();
    Command command;
    if (p instanceof CreateUser create) {
      command = toDomain(create);
    } else if (p instanceof UpdateUser u) {
      command =
          new Command.UpdateUser(
              u.getFirstName(),
              u.getLastName(),
              u.getEmail(),
              u.getDateOfBirth(),
              u.getMetadata(),
              u.getDefaultPayoutMethod());
    } else if (p instanceof AddPayoutMethod add) {
      command = new Command.AddPayoutMethod(toDomain(c.getCommandId(), add));
    } else if (p instanceof RemovePayoutMethod remove) {
      command = new Command.RemovePayoutMethod(remove.getPayoutMethodId());
    } else if (p instanceof DeleteUser) {
      command = new Command.DeleteUser();
    } else if (p instanceof EraseUser erase) {
      command = new Command.EraseUser(erase.getOperator(), erase.getReason());
    } else if (p instanceof RewrapUserKey rewrap) {
      command = new Command.RewrapUserKey(rewrap.getOperator());
    } else if (p instanceof SendVerificationToken) {
      command = new Command.SendVerificationToken();
    } else if (p instanceof VerifyUser v) {
      command = new Command.VerifyUser(openCode(c.getCommandId(), v.getToken()));
    } else if (p instanceof SubmitCompliance sc) {
      command =
          new Command.SubmitCompliance(
              sc.getW9() == null ? null : toDomain(c.getCommandId(), sc.getW9()),
              sc.getW8ben() == null ? null : toDomain(c.getCommandId(), sc.getW8ben()));
    } else {
      return Optional.empty();
    }
    return Optional.of(
        new CommandEnvelope(
            c.getCommandId(), c.getPlatformId(), c.getIssuedAt(), c.getUserId(), command));
  }

  static Command.CreateUser toDomain(CreateUser create) {
    return new Command.CreateUser(
        create.getFirstName(),
        create.getLastName(),
        create.getEmail(),
        create.getCountryCode(),
        create.getPhoneNumber(),
        create.getUsername(),
        create.getDateOfBirth(),
        create.getMetadata());
  }

  private io.userpipe.commands.domain.PayoutDetails toDomain(
      String commandId, AddPayoutMethod add) {
    String account = null;
    if (add.getAccountNumber() != null) {
      try {
        account = sealing.openAccountNumber(commandId, add.getAccountNumber());
      } catch (DataKeys.CryptoException e) {
        account = ""; // unreadable: refused as not being 4 to 17 digits
      }
    }
    return new io.userpipe.commands.domain.PayoutDetails(
        add.getKind(),
        add.getRoutingNumber(),
        account,
        add.getAccountType(),
        add.getEmail(),
        add.getPhone(),
        add.getCashtag());
  }

  private static io.userpipe.commands.domain.PayoutDetails toDomain(PayoutDetails d) {
    return new io.userpipe.commands.domain.PayoutDetails(
        d.getKind(),
        d.getRoutingNumber(),
        d.getAccountNumber(),
        d.getAccountType(),
        d.getEmail(),
        d.getPhone(),
        d.getCashtag());
  }

  /** A payout method as the aggregate and the events keep it: the mask, the details sealed. */
  private PayoutMethodSummary toAvro(EncryptedValue userKey, String userId, PayoutMethod m) {
    var d = m.details();
    var details =
        new PayoutDetails(
            d.kind(),
            d.routingNumber(),
            d.accountNumber(),
            d.accountType(),
            d.email(),
            d.phone(),
            d.cashtag());
    return PayoutMethodSummary.newBuilder()
        .setId(m.id())
        .setKind(d.kind())
        .setMask(d.mask())
        .setAccountType(d.accountType())
        .setDetails(sealing.sealPayoutDetails(userKey, userId, details))
        .build();
  }

  private Command.W9 toDomain(String commandId, W9Submission w9) {
    String tin;
    try {
      tin = sealing.openTin(commandId, w9.getTin());
    } catch (DataKeys.CryptoException e) {
      tin = null; // unreadable: refused as not being 9 digits
    }
    return new Command.W9(
        w9.getEntityType(),
        w9.getFirstName(),
        w9.getLastName(),
        w9.getBusinessName(),
        w9.getDateOfBirth(),
        tin,
        w9.getTinType(),
        toDomain(w9.getAddress()));
  }

  private Command.W8Ben toDomain(String commandId, W8BenSubmission w8) {
    String foreignTaxId = null;
    if (w8.getForeignTaxId() != null) {
      try {
        foreignTaxId = sealing.openForeignTaxId(commandId, w8.getForeignTaxId());
      } catch (DataKeys.CryptoException e) {
        foreignTaxId = ""; // unreadable: refused by the rules
      }
    }
    return new Command.W8Ben(
        w8.getName(),
        w8.getCitizenshipCountry(),
        w8.getDateOfBirth(),
        foreignTaxId,
        w8.getTreatyCountry(),
        w8.getTreatyArticle(),
        w8.getWithholdingRate(),
        toDomain(w8.getAddress()),
        w8.getSignatureName(),
        w8.getSignatureConsent());
  }

  /** The form as the event keeps it, sealed whole; its foreign tax id sealed on its own too. */
  private W8BenSubmission toAvro(EncryptedValue userKey, String userId, Command.W8Ben f) {
    return W8BenSubmission.newBuilder()
        .setName(f.name())
        .setCitizenshipCountry(f.citizenshipCountry())
        .setDateOfBirth(f.dateOfBirth())
        .setForeignTaxId(
            f.foreignTaxId() == null
                ? null
                : sealing.sealForeignTaxId(userKey, userId, f.foreignTaxId()))
        .setTreatyCountry(f.treatyCountry())
        .setTreatyArticle(f.treatyArticle())
        .setWithholdingRate(f.withholdingRate())
        .setAddress(toAvro(f.address()))
        .setSignatureName(f.signatureName())
        .setSignatureConsent(f.signatureConsent())
        .build();
  }

  private static Address toAvro(Command.Address a) {
    return a == null
        ? null
        : new Address(a.line1(), a.line2(), a.city(), a.state(), a.postcode(), a.country());
  }

  private static Command.Address toDomain(Address a) {
    return a == null
        ? null
        : new Command.Address(
            a.getLine1(), a.getLine2(), a.getCity(), a.getState(), a.getPostcode(), a.getCountry());
  }

  private String openCode(String commandId, EncryptedValue sealed) {
    try {
      return sealing.openCode(commandId, sealed);
    } catch (DataKeys.CryptoException e) {
      return null; // unreadable: the decider refuses it as a malformed code
    }
  }

  static String payloadType(UserCommand c) {
    return c.getPayload() == null ? "unknown" : c.getPayload().getClass().getSimpleName();
  }

  UserEvent toAvro(
      String eventId,
      User after,
      EncryptedValue userKey,
      Event event,
      CommandEnvelope cause,
      Instant at) {
    return UserEvent.newBuilder()
        .setEventId(eventId)
        .setUserId(after.id())
        .setVersion(after.version())
        .setOccurredAt(at)
        .setCommandId(cause.commandId())
        .setPlatformId(cause.platformId())
        .setPayload(payload(after.id(), userKey, event))
        .build();
  }

  private Object payload(String userId, EncryptedValue userKey, Event event) {
    if (event instanceof Event.UserCreated e) {
      // the created profile's metadata map is the creator's own, as it always was
      return new UserCreated(
          sealing.sealProfile(userKey, userId, toAvro(e.profile(), e.metadata())));
    }
    if (event instanceof Event.UserUpdated e) {
      return new UserUpdated(
          sealing.sealProfile(userKey, userId, toAvro(e.profile(), Map.of())),
          new ArrayList<>(new TreeSet<>(e.fieldsSent())));
    }
    if (event instanceof Event.ConnectionRequested e) {
      return new ConnectionRequested(
          new ArrayList<>(new TreeSet<>(e.fieldsSent())),
          sealing.sealPlatformData(
              userKey, userId, new PlatformData(e.metadata(), toAvro(e.sent(), Map.of()))));
    }
    if (event instanceof Event.ConnectionConfirmed) {
      return new ConnectionConfirmed();
    }
    if (event instanceof Event.PlatformDisconnected) {
      return new PlatformDisconnected();
    }
    if (event instanceof Event.MetadataChanged e) {
      return new MetadataChanged(
          sealing.sealPlatformData(userKey, userId, new PlatformData(e.metadata(), null)));
    }
    if (event instanceof Event.ErasureHeld e) {
      return new ErasureHeld(e.ofacStatus());
    }
    if (event instanceof Event.UserDeleted) {
      return new UserDeleted();
    }
    if (event instanceof Event.VerificationTokenIssued e) {
      return new VerificationTokenIssued(ByteBuffer.wrap(e.codeHash()), e.expiresAt());
    }
    if (event instanceof Event.VerificationAttemptFailed e) {
      return new VerificationAttemptFailed(e.attempts(), e.locked());
    }
    if (event instanceof Event.UserVerified) {
      return new UserVerified();
    }
    if (event instanceof Event.TinSubmitted t) {
      var check =
          new TinCheck(
              t.tin(),
              t.tinType().name().toLowerCase(java.util.Locale.ROOT),
              t.name(),
              t.business());
      return new TinSubmitted(
          t.submissionId(),
          t.entityType(),
          check.getTinType(),
          t.last4(),
          sealing.sealTinCheck(userKey, userId, check),
          sealing.sealScreeningNames(userKey, userId, toAvro(t.screening())));
    }
    if (event instanceof Event.W8BenSubmitted w) {
      W8BenSubmission form = toAvro(userKey, userId, w.form());
      return new W8BenSubmitted(
          w.form().citizenshipCountry(),
          sealing.sealW8Ben(userKey, userId, form),
          sealing.sealScreeningNames(userKey, userId, toAvro(w.screening())));
    }
    if (event instanceof Event.PayoutMethodAdded e) {
      return new PayoutMethodAdded(
          toAvro(userKey, userId, new PayoutMethod(e.payoutMethodId(), e.details())));
    }
    if (event instanceof Event.PayoutMethodRemoved e) {
      return new PayoutMethodRemoved(e.payoutMethodId());
    }
    if (event instanceof Event.DefaultPayoutMethodChanged e) {
      return new DefaultPayoutMethodChanged(e.payoutMethodId());
    }
    throw new IllegalArgumentException("unmapped event " + event);
  }

  /** A form's names to screen, as ofac-screener opens them. */
  static ScreeningNames toAvro(List<FormNames.Name> names) {
    return new ScreeningNames(
        names.stream()
            .map(
                n ->
                    new ScreeningName(
                        n.source(), n.name(), n.business(), n.dateOfBirth(), n.country()))
            .toList());
  }

  static UserProfile toAvro(Profile p, Map<String, String> metadata) {
    return UserProfile.newBuilder()
        .setFirstName(p.firstName())
        .setLastName(p.lastName())
        .setEmail(p.email())
        .setPhone(
            new PhoneNumber(p.phone().countryCode(), p.phone().nationalNumber(), p.phone().e164()))
        .setUsername(p.username())
        .setDateOfBirth(p.dateOfBirth())
        .setMetadata(metadata)
        .setAddress(toAvro(p.address()))
        .build();
  }

  static Profile toDomain(UserProfile p) {
    PhoneNumber phone = p.getPhone();
    return new Profile(
        p.getFirstName(),
        p.getLastName(),
        p.getEmail(),
        new Phone(phone.getCountryCode(), phone.getNationalNumber(), phone.getE164()),
        p.getUsername(),
        p.getDateOfBirth(),
        toDomain(p.getAddress()));
  }

  User toDomain(UserAggregate a) {
    if (a == null) {
      return null;
    }
    UserProfile profile =
        a.getProfile() == null
            ? null
            : sealing.openProfile(a.getWrappedKey(), a.getId(), a.getProfile());
    var pending = a.getPendingCode();
    List<PayoutMethod> methods = new ArrayList<>();
    for (PayoutMethodSummary m : a.getPayoutMethods()) {
      methods.add(
          new PayoutMethod(
              m.getId(),
              toDomain(sealing.openPayoutDetails(a.getWrappedKey(), a.getId(), m.getDetails()))));
    }
    return new User(
        a.getId(),
        a.getVersion(),
        connections(a, profile),
        profile == null ? null : toDomain(profile),
        a.getVerified(),
        a.getDeleted(),
        a.getErasureHeld(),
        pending == null
            ? null
            : new PendingCode(
                bytes(pending.getCodeHash()),
                pending.getExpiresAt(),
                pending.getAttempts(),
                pending.getLocked(),
                pending.getPlatformId()),
        a.getCodeSends(),
        a.getCreated(),
        methods,
        a.getDefaultPayoutMethod());
  }

  /**
   * The connections of a stored user. A state written before connections existed has only its
   * platforms: each is connected and sees every field, as before, and the profile's metadata (then
   * the only one) stays the creator's, the first platform's.
   */
  private Map<String, Connection> connections(UserAggregate a, UserProfile profile) {
    Map<String, Connection> connections = new LinkedHashMap<>();
    if (a.getConnections().isEmpty()) {
      for (String platform : a.getPlatforms()) {
        Map<String, String> metadata =
            connections.isEmpty() && profile != null ? profile.getMetadata() : Map.of();
        connections.put(platform, Connection.legacy(metadata, a.getCreated()));
      }
      return connections;
    }
    for (io.userpipe.schemas.Connection c : a.getConnections()) {
      PlatformData data =
          c.getData() == null
              ? new PlatformData(Map.of(), null)
              : sealing.openPlatformData(a.getWrappedKey(), a.getId(), c.getData());
      connections.put(
          c.getPlatformId(),
          new Connection(
              Connection.Status.valueOf(c.getStatus().toUpperCase(Locale.ROOT)),
              new TreeSet<>(c.getFieldsSent()),
              data.getMetadata(),
              data.getSent() == null ? null : toDomain(data.getSent()),
              c.getSince()));
    }
    return connections;
  }

  /** The state to store; a deleted user keeps neither key nor profile nor connection data. */
  UserAggregate toAvro(User u, EncryptedValue userKey) {
    var pending = u.pendingCode();
    List<io.userpipe.schemas.Connection> connections = new ArrayList<>();
    u.connections().forEach((platform, c) -> connections.add(toAvro(userKey, u.id(), platform, c)));
    return UserAggregate.newBuilder()
        .setId(u.id())
        .setVersion(u.version())
        .setPlatforms(new ArrayList<>(u.connections().keySet()))
        .setConnections(connections)
        .setErasureHeld(u.erasureHeld())
        .setWrappedKey(u.deleted() ? null : userKey)
        .setProfile(
            u.deleted() || u.profile() == null
                ? null
                : sealing.sealProfile(userKey, u.id(), toAvro(u.profile(), Map.of())))
        .setPendingCode(
            pending == null
                ? null
                : new io.userpipe.schemas.PendingCode(
                    ByteBuffer.wrap(pending.codeHash()),
                    pending.expiresAt(),
                    pending.attempts(),
                    pending.locked(),
                    pending.platformId()))
        .setCodeSends(new ArrayList<>(u.codeSends()))
        .setVerified(u.verified())
        .setDeleted(u.deleted())
        .setCreated(u.created())
        .setPayoutMethods(
            u.deleted()
                ? List.of()
                : u.payoutMethods().stream().map(m -> toAvro(userKey, u.id(), m)).toList())
        .setDefaultPayoutMethod(u.defaultPayoutMethod())
        .build();
  }

  /** A connection as the aggregate keeps it: its own data sealed, and only when it has some. */
  private io.userpipe.schemas.Connection toAvro(
      EncryptedValue userKey, String userId, String platform, Connection c) {
    boolean hasData = !c.metadata().isEmpty() || c.sent() != null;
    return io.userpipe.schemas.Connection.newBuilder()
        .setPlatformId(platform)
        .setStatus(c.status().name().toLowerCase(Locale.ROOT))
        .setFieldsSent(new ArrayList<>(c.fieldsSent()))
        .setSince(c.since())
        .setData(
            hasData
                ? sealing.sealPlatformData(
                    userKey,
                    userId,
                    new PlatformData(
                        c.metadata(), c.sent() == null ? null : toAvro(c.sent(), Map.of())))
                : null)
        .build();
  }

  static CommandResult accepted(
      UserCommand c, String userId, long userVersion, boolean created, Instant at) {
    return CommandResult.newBuilder()
        .setCommandId(c.getCommandId())
        .setPlatformId(c.getPlatformId())
        .setCommandType(payloadType(c))
        .setOutcome(CommandOutcome.ACCEPTED)
        .setUserId(userId)
        .setUserVersion(userVersion)
        .setCreated(created)
        .setDecidedAt(at)
        .build();
  }

  static CommandResult rejected(
      UserCommand c, String userId, Long userVersion, Rejection r, Instant at) {
    return CommandResult.newBuilder()
        .setCommandId(c.getCommandId())
        .setPlatformId(c.getPlatformId())
        .setCommandType(payloadType(c))
        .setOutcome(CommandOutcome.REJECTED)
        .setUserId(userId)
        .setUserVersion(userVersion)
        .setRejection(new io.userpipe.schemas.Rejection(r.code().wire(), r.field(), r.message()))
        .setDecidedAt(at)
        .build();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
