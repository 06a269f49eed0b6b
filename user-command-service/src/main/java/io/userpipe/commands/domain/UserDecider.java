package io.userpipe.commands.domain;

import io.userpipe.commands.domain.Command.AddPayoutMethod;
import io.userpipe.commands.domain.Command.CreateUser;
import io.userpipe.commands.domain.Command.DeleteUser;
import io.userpipe.commands.domain.Command.EraseUser;
import io.userpipe.commands.domain.Command.RemovePayoutMethod;
import io.userpipe.commands.domain.Command.RewrapUserKey;
import io.userpipe.commands.domain.Command.SendVerificationToken;
import io.userpipe.commands.domain.Command.SubmitCompliance;
import io.userpipe.commands.domain.Command.UpdateUser;
import io.userpipe.commands.domain.Command.VerifyUser;
import io.userpipe.commands.domain.Command.W9;
import io.userpipe.commands.domain.Event.ConnectionConfirmed;
import io.userpipe.commands.domain.Event.ConnectionRequested;
import io.userpipe.commands.domain.Event.DefaultPayoutMethodChanged;
import io.userpipe.commands.domain.Event.ErasureHeld;
import io.userpipe.commands.domain.Event.MetadataChanged;
import io.userpipe.commands.domain.Event.PayoutMethodAdded;
import io.userpipe.commands.domain.Event.PayoutMethodRemoved;
import io.userpipe.commands.domain.Event.PlatformConnected;
import io.userpipe.commands.domain.Event.PlatformDisconnected;
import io.userpipe.commands.domain.Event.TinSubmitted;
import io.userpipe.commands.domain.Event.UserCreated;
import io.userpipe.commands.domain.Event.UserDeleted;
import io.userpipe.commands.domain.Event.UserUpdated;
import io.userpipe.commands.domain.Event.UserVerified;
import io.userpipe.commands.domain.Event.VerificationAttemptFailed;
import io.userpipe.commands.domain.Event.VerificationTokenIssued;
import io.userpipe.commands.domain.Event.W8BenSubmitted;
import io.userpipe.schemas.vocabulary.OfacStatus;
import io.userpipe.schemas.vocabulary.RejectionCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of the user aggregate as a pure pair: {@code decide(state, command, now)} says what
 * happens, {@code evolve(state, event)} applies it. No Kafka, no clock, no randomness of its own:
 * time comes in as an argument and codes from {@link Codes}.
 */
public final class UserDecider {

  private final CreateUserValidator fieldRules;
  private final ComplianceRules complianceRules;
  private final VerificationPolicy policy;
  private final Codes codes;
  private final PayoutRules payoutRules = new PayoutRules(new PhoneNormalizer());

  /** The platform id of an operator's commands starts so: {@code operator:<operator id>}. */
  public static final String OPERATOR_PREFIX = "operator:";

  /** The most payout methods one user may have. */
  public static final int MAX_PAYOUT_METHODS = 10;

  public UserDecider(CreateUserValidator fieldRules, VerificationPolicy policy, Codes codes) {
    this.fieldRules = fieldRules;
    this.complianceRules = new ComplianceRules(fieldRules);
    this.policy = policy;
    this.codes = codes;
  }

  /**
   * Decides a command addressed to {@code envelope.userId()}; {@code state} is null when that user
   * does not exist yet.
   */
  public Decision decide(User state, CommandEnvelope envelope, Instant now) {
    return decide(state, envelope, now, null);
  }

  /**
   * As above, knowing the user's OFAC status ({@code null} before the first screening): a flagged
   * user cannot add payout methods, and a person with a sanctions finding is not erased.
   */
  public Decision decide(User state, CommandEnvelope envelope, Instant now, String ofacStatus) {
    // Java 17 has no pattern switch: the sealed hierarchy keeps this chain exhaustive by review.
    Command command = envelope.command();
    String platform = envelope.platformId();
    if (command instanceof CreateUser create) {
      return decideCreate(state, envelope, create);
    }
    if (command instanceof RewrapUserKey) {
      // Key rotation is an operator's: a platform is refused before it learns whether the user
      // exists. A deleted user's key is gone for good: nothing is re-wrapped, nothing written.
      if (!platform.startsWith(OPERATOR_PREFIX)) {
        return new Decision.Rejected(
            Rejection.of(
                RejectionCode.FORBIDDEN, "re-wrapping a user's key is an operator's command"));
      }
      if (state == null || state.deleted()) {
        return new Decision.Rejected(Rejection.notFound("no user " + envelope.userId()));
      }
      return new Decision.RewrapKey(state.id());
    }
    if (state == null || state.deleted()) {
      return new Decision.Rejected(Rejection.notFound("no user " + envelope.userId()));
    }
    if (command instanceof EraseUser) {
      // An operator's command: the HTTP door sends it as "operator:<id>" once the operator signed
      // in; a platform's never erases a person (with broker ACLs, issue 17, a platform's principal
      // cannot claim an operator's id).
      if (!platform.startsWith(OPERATOR_PREFIX)) {
        return new Decision.Rejected(
            Rejection.of(RejectionCode.FORBIDDEN, "erasing a person is an operator's command"));
      }
      return decideErasure(state, ofacStatus);
    }
    // A platform sees only the people connected to it; the others do not exist for it (ids do not
    // leak). One that asked to connect may only prove, with the person's code, that it may.
    var connection = state.connection(platform);
    if (connection.isEmpty()) {
      return new Decision.Rejected(Rejection.notFound("no user " + envelope.userId()));
    }
    if (command instanceof SendVerificationToken) {
      return decideSend(state, platform, now);
    }
    if (command instanceof VerifyUser verify) {
      return decideVerify(state, platform, verify, now);
    }
    if (connection.get().pending()) {
      return new Decision.Rejected(Rejection.connectionPending());
    }
    if (command instanceof UpdateUser update) {
      return decideUpdate(state, platform, update);
    }
    if (command instanceof DeleteUser) {
      return decideDelete(state, platform, ofacStatus);
    }
    if (command instanceof SubmitCompliance submit) {
      return decideCompliance(state, envelope, submit);
    }
    if (command instanceof AddPayoutMethod add) {
      return decideAddPayoutMethod(state, envelope, add, ofacStatus);
    }
    if (command instanceof RemovePayoutMethod remove) {
      return decideRemovePayoutMethod(state, remove);
    }
    throw new IllegalArgumentException("unknown command " + envelope.type());
  }

  private Decision decideCreate(User state, CommandEnvelope envelope, CreateUser create) {
    var validated = fieldRules.validate(create);
    if (validated instanceof PhoneNormalizer.Result.Invalid invalid) {
      return new Decision.Rejected(invalid.rejection());
    }
    Phone phone = ((PhoneNormalizer.Result.Valid) validated).phone();
    var sent =
        new Profile(
            create.firstName(),
            create.lastName(),
            create.email(),
            phone,
            create.username(),
            create.dateOfBirth());
    if (state == null) {
      return new Decision.Accepted(
          envelope.userId(), List.of(new UserCreated(sent, create.metadata())), true);
    }
    if (state.deleted()) {
      // The phone registry has not yet freed the number of a user deleted a moment ago.
      return new Decision.Rejected(
          Rejection.of(
              RejectionCode.CONFLICT, "a user with this phone number is being deleted; retry"));
    }
    // Same phone, already a person (one user per phone, whichever platform asks). A platform
    // already connected, or already waiting, is answered as it is; another one asks to connect,
    // and sees only what it sent until the person confirms with a code.
    if (state.connection(envelope.platformId()).isPresent()) {
      return new Decision.Accepted(state.id(), List.of(), false);
    }
    return new Decision.Accepted(
        state.id(),
        List.of(new ConnectionRequested(sent.fieldsGiven(), sent, create.metadata())),
        false);
  }

  /**
   * The platform leaves. The person stays while another platform is connected; with the last one
   * the data is erased, unless a sanctions finding holds it for an operator (pending platforms do
   * not keep a person).
   */
  private static Decision decideDelete(User state, String platform, String ofacStatus) {
    if (state.connectedToAnotherThan(platform)) {
      return new Decision.Accepted(state.id(), List.of(new PlatformDisconnected()), false);
    }
    if (sanctionsHold(ofacStatus)) {
      return new Decision.Accepted(
          state.id(), List.of(new PlatformDisconnected(), new ErasureHeld(ofacStatus)), false);
    }
    return new Decision.Accepted(state.id(), List.of(new UserDeleted()), false);
  }

  /** An operator erases the person, whoever is connected; never while a finding holds the data. */
  private static Decision decideErasure(User state, String ofacStatus) {
    if (sanctionsHold(ofacStatus)) {
      return new Decision.Rejected(
          new Rejection(
              RejectionCode.CONFLICT,
              "ofac_status",
              "the person's OFAC status is "
                  + ofacStatus
                  + ": their data is under legal hold and cannot be erased until a reviewer"
                  + " clears them"));
    }
    return new Decision.Accepted(state.id(), List.of(new UserDeleted()), false);
  }

  /**
   * A person with a sanctions finding (any status but unflagged) keeps their data for the
   * regulator. Before the first screening there is no finding to keep.
   */
  static boolean sanctionsHold(String ofacStatus) {
    return ofacStatus != null && !OfacStatus.UNFLAGGED.wire().equals(ofacStatus);
  }

  private Decision decideUpdate(User state, String platform, UpdateUser update) {
    var broken = fieldRules.validateUpdate(update);
    if (broken.isPresent()) {
      return new Decision.Rejected(broken.get());
    }
    Profile p = state.profile();
    var changed =
        new Profile(
            orElse(update.firstName(), p.firstName()),
            orElse(update.lastName(), p.lastName()),
            orElse(update.email(), p.email()),
            p.phone(),
            p.username(),
            orElse(update.dateOfBirth(), p.dateOfBirth()),
            p.address());
    Set<String> sent = new TreeSet<>();
    if (update.firstName() != null) {
      sent.add("first_name");
    }
    if (update.lastName() != null) {
      sent.add("last_name");
    }
    if (update.email() != null) {
      sent.add("email");
    }
    if (update.dateOfBirth() != null) {
      sent.add("date_of_birth");
    }
    Connection connection = state.connection(platform).orElseThrow();
    List<Event> events = new ArrayList<>();
    if (!changed.equals(p) || !connection.fieldsSent().containsAll(sent)) {
      events.add(new UserUpdated(changed, sent));
    }
    // Metadata is the platform's own: it replaces only its own.
    if (update.metadata() != null && !update.metadata().equals(connection.metadata())) {
      events.add(new MetadataChanged(update.metadata()));
    }
    String wanted = update.defaultPayoutMethod();
    if (wanted != null) {
      if (state.payoutMethod(wanted).isEmpty()) {
        return new Decision.Rejected(
            Rejection.invalid("default_payout_method", "is not one of the user's payout methods"));
      }
      if (!wanted.equals(state.defaultPayoutMethod())) {
        events.add(new DefaultPayoutMethodChanged(wanted));
      }
    }
    return new Decision.Accepted(state.id(), events, false);
  }

  private Decision decideSend(User state, String platform, Instant now) {
    List<Instant> recent = recentSends(state, now);
    if (!recent.isEmpty()
        && recent.get(recent.size() - 1).plus(policy.minResendInterval()).isAfter(now)) {
      return new Decision.Rejected(
          Rejection.of(
              RejectionCode.THROTTLED,
              "a code was sent less than "
                  + policy.minResendInterval().toSeconds()
                  + " seconds ago; wait before asking again"));
    }
    if (recent.size() >= policy.maxSendsPerHour()) {
      return new Decision.Rejected(
          Rejection.of(
              RejectionCode.THROTTLED,
              "at most " + policy.maxSendsPerHour() + " codes may be sent per hour"));
    }
    String code = codes.newCode();
    var issued =
        new VerificationTokenIssued(codes.hash(state.id(), code), now.plus(policy.codeTtl()));
    // A code for a platform that asks to connect says so: the person consents to that platform.
    String asking =
        state.connection(platform).orElseThrow().pending()
            ? platform
                + " asks to connect to your account. If you agree, your verification code is "
            : "Your verification code is ";
    var sms =
        new Notification.Sms(
            state.profile().phone().e164(),
            asking + code + ". It expires in " + policy.codeTtl().toMinutes() + " minutes.");
    return new Decision.Accepted(state.id(), List.of(issued), false, List.of(sms));
  }

  private Decision decideVerify(User state, String platform, VerifyUser verify, Instant now) {
    if (verify.code() == null || !verify.code().matches("[0-9]{6}")) {
      return new Decision.Rejected(Rejection.invalid("token", "must be the 6-digit code"));
    }
    PendingCode code = state.pendingCode();
    Connection connection = state.connection(platform).orElseThrow();
    // A code is bound to the platform it was sent for: one sent for A's own verification never
    // connects B, one sent for B never connects C (and another platform's guesses do not count).
    if (code == null || !code.issuedFor(platform, connection)) {
      return new Decision.Rejected(
          Rejection.invalid(
              "token", "no code is pending for this platform; send a verification token first"));
    }
    if (code.locked()) {
      return new Decision.Rejected(
          Rejection.of(
              RejectionCode.LOCKED, "too many wrong codes; send a new verification token"));
    }
    if (!now.isBefore(code.expiresAt())) {
      return new Decision.Rejected(
          Rejection.of(
              RejectionCode.EXPIRED, "the code has expired; send a new verification token"));
    }
    if (!codes.matches(state.id(), verify.code(), code.codeHash())) {
      int attempts = code.attempts() + 1;
      boolean locked = attempts >= policy.maxAttempts();
      var failed = new VerificationAttemptFailed(attempts, locked);
      return locked
          ? new Decision.Rejected(
              Rejection.of(
                  RejectionCode.LOCKED, "too many wrong codes; send a new verification token"),
              List.of(failed))
          : new Decision.Rejected(
              Rejection.invalid(
                  "token", "wrong code; " + (policy.maxAttempts() - attempts) + " attempts left"),
              List.of(failed));
    }
    if (!connection.pending()) {
      return new Decision.Accepted(state.id(), List.of(new UserVerified()), false);
    }
    List<Event> events = new ArrayList<>(List.of(new ConnectionConfirmed()));
    if (!state.verified()) {
      events.add(new UserVerified()); // the code proves the phone too
    }
    return new Decision.Accepted(state.id(), events, false);
  }

  private Decision decideCompliance(User state, CommandEnvelope envelope, SubmitCompliance submit) {
    var shape = complianceRules.shape(submit);
    if (shape.isPresent()) {
      return new Decision.Rejected(shape.get());
    }
    if (submit.w8ben() != null) {
      return complianceRules
          .validate(submit.w8ben())
          .<Decision>map(Decision.Rejected::new)
          .orElseGet(
              () ->
                  new Decision.Accepted(
                      state.id(),
                      withAddress(
                          state,
                          new W8BenSubmitted(submit.w8ben(), FormNames.of(submit.w8ben())),
                          submit.w8ben().address()),
                      false));
    }
    W9 w9 = submit.w9();
    var result = complianceRules.validate(w9);
    if (result instanceof ComplianceRules.W9Result.Invalid invalid) {
      return new Decision.Rejected(invalid.rejection());
    }
    var valid = (ComplianceRules.W9Result.Valid) result;
    boolean business = w9.entityType().equals("business");
    String name = business ? w9.businessName() : w9.firstName() + " " + w9.lastName();
    // The command id names the submission: a resubmission is a new command, so it supersedes.
    var submitted =
        new TinSubmitted(
            envelope.commandId(),
            w9.entityType(),
            valid.type(),
            valid.digits(),
            name,
            business,
            FormNames.of(w9));
    return new Decision.Accepted(state.id(), withAddress(state, submitted, w9.address()), false);
  }

  /** A form's event, and the profile's new address if the form gives another one. */
  private static List<Event> withAddress(User state, Event form, Command.Address address) {
    if (address == null || address.equals(state.profile().address())) {
      return List.of(form);
    }
    return List.of(form, new UserUpdated(state.profile().withAddress(address), Set.of("address")));
  }

  private Decision decideAddPayoutMethod(
      User state, CommandEnvelope envelope, AddPayoutMethod add, String ofacStatus) {
    if (OfacStatus.FLAGGED.wire().equals(ofacStatus)) {
      return new Decision.Rejected(
          new Rejection(
              RejectionCode.CONFLICT,
              "ofac_status",
              "the user is flagged on the OFAC sanctions list; no payout method can be added"));
    }
    var result = payoutRules.validate(add.details());
    if (result instanceof PayoutRules.Result.Invalid invalid) {
      return new Decision.Rejected(invalid.rejection());
    }
    PayoutDetails details = ((PayoutRules.Result.Valid) result).details();
    // One method per kind, as Dots' default names a kind: a method of a kind the user has
    // replaces every method of that kind (users from before this rule may hold several).
    List<PayoutMethod> sameKind =
        state.payoutMethods().stream()
            .filter(m -> m.details().kind().equals(details.kind()))
            .toList();
    if (sameKind.size() == 1 && sameKind.get(0).details().equals(details)) {
      return new Decision.Accepted(state.id(), List.of(), false); // the same method again
    }
    if (state.payoutMethods().size() - sameKind.size() >= MAX_PAYOUT_METHODS) {
      return new Decision.Rejected(
          Rejection.of(
              RejectionCode.CONFLICT,
              "a user has at most " + MAX_PAYOUT_METHODS + " payout methods; remove one first"));
    }
    String id = payoutMethodId(envelope.commandId());
    List<Event> events = new ArrayList<>();
    boolean replacesDefault = false;
    for (PayoutMethod replaced : sameKind) {
      events.add(new PayoutMethodRemoved(replaced.id()));
      replacesDefault |= replaced.id().equals(state.defaultPayoutMethod());
    }
    events.add(new PayoutMethodAdded(id, details));
    if (state.defaultPayoutMethod() == null || replacesDefault) {
      // the first one is where payouts go; a replaced default is replaced as the default too
      events.add(new DefaultPayoutMethodChanged(id));
    }
    return new Decision.Accepted(state.id(), events, false);
  }

  private static Decision decideRemovePayoutMethod(User state, RemovePayoutMethod remove) {
    if (remove.payoutMethodId() == null || state.payoutMethod(remove.payoutMethodId()).isEmpty()) {
      return new Decision.Rejected(
          Rejection.notFound("no payout method " + remove.payoutMethodId()));
    }
    List<Event> events = new ArrayList<>();
    events.add(new PayoutMethodRemoved(remove.payoutMethodId()));
    if (remove.payoutMethodId().equals(state.defaultPayoutMethod())) {
      events.add(new DefaultPayoutMethodChanged(null));
    }
    return new Decision.Accepted(state.id(), events, false);
  }

  static String payoutMethodId(String commandId) {
    return io.userpipe.schemas.PayoutMethodIds.of(commandId);
  }

  private List<Instant> recentSends(User state, Instant now) {
    Instant hourAgo = now.minusSeconds(3600);
    return state.codeSends().stream().filter(t -> t.isAfter(hourAgo)).toList();
  }

  /**
   * Applies one event of {@code platformId}'s; {@code state} is null before the creation. Events
   * written before connections existed ({@link PlatformConnected}) fold as connections that see
   * every field.
   */
  public static User evolve(User state, String userId, Event event, String platformId, Instant at) {
    if (event instanceof UserCreated c) {
      var creator =
          new Connection(
              Connection.Status.CONNECTED, c.profile().fieldsGiven(), c.metadata(), null, at);
      return new User(
          userId,
          1,
          Map.of(platformId, creator),
          c.profile(),
          false,
          false,
          false,
          null,
          List.of(),
          at,
          List.of(),
          null);
    }
    User next = state.next();
    var connections = new LinkedHashMap<>(state.connections());
    if (event instanceof PlatformConnected) {
      connections.putIfAbsent(platformId, Connection.legacy(Map.of(), at));
      return next.withConnections(connections, state.pendingCode());
    }
    if (event instanceof ConnectionRequested r) {
      connections.put(
          platformId,
          new Connection(Connection.Status.PENDING, r.fieldsSent(), r.metadata(), r.sent(), at));
      return next.withConnections(connections, state.pendingCode());
    }
    if (event instanceof ConnectionConfirmed) {
      connections.computeIfPresent(platformId, (p, c) -> c.confirmed());
      // the code is used up; a person held after the last platform left is someone's again
      return next.withConnections(connections, null).withErasureHeld(false);
    }
    if (event instanceof PlatformDisconnected) {
      connections.remove(platformId);
      PendingCode code = state.pendingCode();
      boolean itsCode = code != null && platformId.equals(code.platformId());
      return next.withConnections(connections, itsCode ? null : code);
    }
    if (event instanceof MetadataChanged m) {
      connections.computeIfPresent(platformId, (p, c) -> c.withMetadata(m.metadata()));
      return next.withConnections(connections, state.pendingCode());
    }
    if (event instanceof ErasureHeld) {
      return next.withErasureHeld(true);
    }
    if (event instanceof UserUpdated u) {
      connections.computeIfPresent(platformId, (p, c) -> c.withFieldsSent(u.fieldsSent()));
      return next.withConnections(connections, state.pendingCode()).withProfile(u.profile());
    }
    if (event instanceof UserDeleted) {
      return next.asDeleted();
    }
    if (event instanceof VerificationTokenIssued issued) {
      var sends = new ArrayList<Instant>();
      state.codeSends().stream().filter(t -> t.isAfter(at.minusSeconds(3600))).forEach(sends::add);
      sends.add(at);
      return next.withVerification(
          state.verified(),
          new PendingCode(issued.codeHash(), issued.expiresAt(), 0, false, platformId),
          sends);
    }
    if (event instanceof VerificationAttemptFailed failed) {
      PendingCode code = Objects.requireNonNull(state.pendingCode(), "attempt without a code");
      return next.withVerification(
          state.verified(),
          new PendingCode(
              code.codeHash(),
              code.expiresAt(),
              failed.attempts(),
              failed.locked(),
              code.platformId()),
          state.codeSends());
    }
    if (event instanceof UserVerified) {
      return next.withVerification(true, null, state.codeSends());
    }
    if (event instanceof PayoutMethodAdded added) {
      var methods = new ArrayList<>(state.payoutMethods());
      methods.add(new PayoutMethod(added.payoutMethodId(), added.details()));
      return next.withPayoutMethods(methods, state.defaultPayoutMethod());
    }
    if (event instanceof PayoutMethodRemoved removed) {
      var methods = new ArrayList<>(state.payoutMethods());
      methods.removeIf(m -> m.id().equals(removed.payoutMethodId()));
      return next.withPayoutMethods(methods, state.defaultPayoutMethod());
    }
    if (event instanceof DefaultPayoutMethodChanged changed) {
      return next.withPayoutMethods(state.payoutMethods(), changed.payoutMethodId());
    }
    if (event instanceof TinSubmitted || event instanceof W8BenSubmitted) {
      return next; // the forms are the verifiers' and the views' business
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  private static String orElse(String value, String dflt) {
    return value == null ? dflt : value;
  }
}
