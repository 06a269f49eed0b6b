package io.userpipe.commands.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.commands.domain.Event.PlatformConnected;
import io.userpipe.commands.domain.Event.UserCreated;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Given a state, when a command arrives, then these events (or this rejection). */
class UserDeciderTest {

  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

  private final UserDecider decider =
      new UserDecider(
          new CreateUserValidator(new PhoneNormalizer(), CreateUserValidatorTest.CLOCK));

  private static CommandEnvelope create(String platform, String userId) {
    return new CommandEnvelope(
        "cmd-" + platform, platform, NOW, userId, CreateUserValidatorTest.valid());
  }

  @Test
  void createsAUserWithTheNormalizedPhone() {
    var decision =
        assertInstanceOf(Decision.Accepted.class, decider.decide(null, create("p1", "u1")));
    assertTrue(decision.created());
    var created = assertInstanceOf(UserCreated.class, decision.events().get(0));
    assertEquals("+12025550173", created.phone().e164());
  }

  @Test
  void connectsAnExistingUserToAnotherPlatformInsteadOfCreating() {
    User existing = given(create("p1", "u1"));

    var decision =
        assertInstanceOf(Decision.Accepted.class, decider.decide(existing, create("p2", "u1")));

    assertEquals(false, decision.created());
    assertEquals("u1", decision.userId());
    assertEquals(List.of(new PlatformConnected()), decision.events());
  }

  @Test
  void repeatedCreateFromTheSamePlatformChangesNothing() {
    User existing = given(create("p1", "u1"));

    var decision =
        assertInstanceOf(Decision.Accepted.class, decider.decide(existing, create("p1", "u1")));

    assertEquals(List.of(), decision.events());
  }

  @Test
  void evolvingAConnectionAddsThePlatformAndBumpsTheVersion() {
    User existing = given(create("p1", "u1"));
    User after = UserDecider.evolve(existing, "u1", new PlatformConnected(), "p2", NOW);
    assertEquals(List.of("p1", "p2"), after.platforms());
    assertEquals(2, after.version());
  }

  private User given(CommandEnvelope creation) {
    var accepted = (Decision.Accepted) decider.decide(null, creation);
    User state = null;
    for (Event e : accepted.events()) {
      state = UserDecider.evolve(state, creation.userId(), e, creation.platformId(), NOW);
    }
    return state;
  }
}
