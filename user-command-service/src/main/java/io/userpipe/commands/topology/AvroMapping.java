package io.userpipe.commands.topology;

import io.userpipe.commands.domain.Command;
import io.userpipe.commands.domain.CommandEnvelope;
import io.userpipe.commands.domain.Event;
import io.userpipe.commands.domain.Phone;
import io.userpipe.commands.domain.Rejection;
import io.userpipe.commands.domain.User;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.PhoneNumber;
import io.userpipe.schemas.PlatformConnected;
import io.userpipe.schemas.UserAggregate;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;

/** The one place where the wire contracts (Avro) meet the domain records. */
final class AvroMapping {

  private AvroMapping() {}

  /** The domain command, or empty for a payload this version does not decide. */
  static Optional<CommandEnvelope> toDomain(UserCommand c) {
    Command command;
    if (c.getPayload() instanceof CreateUser p) {
      command =
          new Command.CreateUser(
              p.getFirstName(),
              p.getLastName(),
              p.getEmail(),
              p.getCountryCode(),
              p.getPhoneNumber(),
              p.getUsername(),
              p.getDateOfBirth(),
              p.getMetadata());
    } else {
      return Optional.empty();
    }
    return Optional.of(
        new CommandEnvelope(
            c.getCommandId(), c.getPlatformId(), c.getIssuedAt(), c.getUserId(), command));
  }

  static String payloadType(UserCommand c) {
    return c.getPayload() == null ? "unknown" : c.getPayload().getClass().getSimpleName();
  }

  static UserEvent toAvro(
      String eventId, User after, Event event, CommandEnvelope cause, Instant at) {
    Object payload;
    if (event instanceof Event.UserCreated e) {
      payload =
          UserCreated.newBuilder()
              .setFirstName(e.firstName())
              .setLastName(e.lastName())
              .setEmail(e.email())
              .setPhone(toAvro(e.phone()))
              .setUsername(e.username())
              .setDateOfBirth(e.dateOfBirth())
              .setMetadata(e.metadata())
              .build();
    } else if (event instanceof Event.PlatformConnected) {
      payload = new PlatformConnected();
    } else {
      throw new IllegalArgumentException("unmapped event " + event);
    }
    return UserEvent.newBuilder()
        .setEventId(eventId)
        .setUserId(after.id())
        .setVersion(after.version())
        .setOccurredAt(at)
        .setCommandId(cause.commandId())
        .setPlatformId(cause.platformId())
        .setPayload(payload)
        .build();
  }

  static PhoneNumber toAvro(Phone phone) {
    return phone == null
        ? null
        : new PhoneNumber(phone.countryCode(), phone.nationalNumber(), phone.e164());
  }

  static Phone toDomain(PhoneNumber phone) {
    return phone == null
        ? null
        : new Phone(phone.getCountryCode(), phone.getNationalNumber(), phone.getE164());
  }

  static User toDomain(UserAggregate a) {
    if (a == null) {
      return null;
    }
    return new User(
        a.getId(),
        a.getVersion(),
        a.getPlatforms(),
        a.getFirstName(),
        a.getLastName(),
        a.getEmail(),
        toDomain(a.getPhone()),
        a.getUsername(),
        a.getDateOfBirth(),
        a.getMetadata(),
        a.getVerified(),
        a.getDeleted(),
        a.getCreated());
  }

  static UserAggregate toAvro(User u) {
    return UserAggregate.newBuilder()
        .setId(u.id())
        .setVersion(u.version())
        .setPlatforms(new ArrayList<>(u.platforms()))
        .setFirstName(u.firstName())
        .setLastName(u.lastName())
        .setEmail(u.email())
        .setPhone(toAvro(u.phone()))
        .setUsername(u.username())
        .setDateOfBirth(u.dateOfBirth())
        .setMetadata(u.metadata())
        .setVerified(u.verified())
        .setDeleted(u.deleted())
        .setCreated(u.created())
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

  static CommandResult rejected(UserCommand c, String userId, Rejection r, Instant at) {
    return CommandResult.newBuilder()
        .setCommandId(c.getCommandId())
        .setPlatformId(c.getPlatformId())
        .setCommandType(payloadType(c))
        .setOutcome(CommandOutcome.REJECTED)
        .setUserId(userId)
        .setRejection(new io.userpipe.schemas.Rejection(r.code(), r.field(), r.message()))
        .setDecidedAt(at)
        .build();
  }
}
