package io.userpipe.commands.domain;

import io.userpipe.commands.domain.Command.CreateUser;
import io.userpipe.commands.domain.Event.PlatformConnected;
import io.userpipe.commands.domain.Event.UserCreated;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of the user aggregate as a pure pair: {@code decide(state, command)} says what happens,
 * {@code evolve(state, event)} applies it. No Kafka, no clock of its own: the time of an event is
 * the time it is applied with.
 */
public final class UserDecider {

  private final CreateUserValidator createRules;

  public UserDecider(CreateUserValidator createRules) {
    this.createRules = createRules;
  }

  /**
   * Decides a command addressed to {@code envelope.userId()}; {@code state} is null when that user
   * does not exist yet.
   */
  public Decision decide(User state, CommandEnvelope envelope) {
    // Java 17 has no pattern switch: the sealed hierarchy keeps this chain exhaustive by review.
    if (envelope.command() instanceof CreateUser create) {
      return decideCreate(state, envelope, create);
    }
    throw new IllegalArgumentException("unknown command " + envelope.type());
  }

  private Decision decideCreate(User state, CommandEnvelope envelope, CreateUser create) {
    var validated = createRules.validate(create);
    if (validated instanceof PhoneNormalizer.Result.Invalid invalid) {
      return new Decision.Rejected(invalid.rejection());
    }
    Phone phone = ((PhoneNormalizer.Result.Valid) validated).phone();
    if (state == null) {
      var created =
          new UserCreated(
              create.firstName(),
              create.lastName(),
              create.email(),
              phone,
              create.username(),
              create.dateOfBirth(),
              create.metadata());
      return new Decision.Accepted(envelope.userId(), List.of(created), true);
    }
    // Same phone, already a user: Dots answers with the existing user and connects the platform.
    List<Event> events =
        state.isConnectedTo(envelope.platformId()) ? List.of() : List.of(new PlatformConnected());
    return new Decision.Accepted(state.id(), events, false);
  }

  /** Applies one event; {@code state} is null before the creation. */
  public static User evolve(User state, String userId, Event event, String platformId, Instant at) {
    if (event instanceof UserCreated c) {
      return new User(
          userId,
          1,
          List.of(platformId),
          c.firstName(),
          c.lastName(),
          c.email(),
          c.phone(),
          c.username(),
          c.dateOfBirth(),
          c.metadata(),
          false,
          false,
          at);
    }
    if (event instanceof PlatformConnected) {
      var platforms = new ArrayList<>(state.platforms());
      platforms.add(platformId);
      return new User(
          state.id(),
          state.version() + 1,
          platforms,
          state.firstName(),
          state.lastName(),
          state.email(),
          state.phone(),
          state.username(),
          state.dateOfBirth(),
          state.metadata(),
          state.verified(),
          state.deleted(),
          state.created());
    }
    throw new IllegalArgumentException("unknown event " + event);
  }
}
