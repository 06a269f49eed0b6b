package io.userpipe.commands.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.userpipe.commands.domain.Command.CreateUser;
import io.userpipe.commands.domain.Command.DeleteUser;
import io.userpipe.commands.domain.Command.RewrapUserKey;
import io.userpipe.schemas.vocabulary.RejectionCode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Key rotation, given/when/then: an operator's {@code RewrapUserKey} asks for a live user's key to
 * be re-wrapped (the processor, which holds the data keys, does it); a deleted or unknown user's
 * key is never asked for; a platform is refused whoever the user is.
 */
class RewrapUserKeyDecisionsTest {

  private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
  private static final String OPERATOR = "operator:ops";

  private final UserDecider decider =
      new UserDecider(
          new CreateUserValidator(new PhoneNormalizer(), CreateUserValidatorTest.CLOCK),
          VerificationPolicy.DEFAULT,
          new UserDeciderTest.ScriptedCodes());

  private static CommandEnvelope command(String platform, Command command) {
    return new CommandEnvelope("cmd-" + platform, platform, NOW, "u1", command);
  }

  /** The state after the decision's events. */
  private static User apply(User state, String platform, Decision decision) {
    for (Event e : assertInstanceOf(Decision.Accepted.class, decision).events()) {
      state = UserDecider.evolve(state, "u1", e, platform, NOW);
    }
    return state;
  }

  private User givenAUserOf(String platform) {
    var create =
        new CreateUser("Ada", "Lovelace", "ada@example.com", "1", "2025550173", null, null, null);
    return apply(null, platform, decider.decide(null, command(platform, create), NOW));
  }

  private Decision when(User state, String platform) {
    return decider.decide(state, command(platform, new RewrapUserKey("ops")), NOW, null);
  }

  @Test
  void anOperatorHasALiveUsersKeyRewrapped() {
    User user = givenAUserOf("A");
    assertEquals(new Decision.RewrapKey("u1"), when(user, OPERATOR));
  }

  @Test
  void aUserWithASanctionsFindingIsRewrappedToo() {
    // the data is held for the regulator: its key must outlive a retired data key all the more
    User user = givenAUserOf("A");
    assertInstanceOf(
        Decision.RewrapKey.class,
        decider.decide(user, command(OPERATOR, new RewrapUserKey("ops")), NOW, "flagged"));
  }

  @Test
  void aDeletedUsersKeyIsNeverRewrapped() {
    User user = givenAUserOf("A");
    User deleted = apply(user, "A", decider.decide(user, command("A", new DeleteUser()), NOW));
    assertEquals(true, deleted.deleted());

    var rejected = assertInstanceOf(Decision.Rejected.class, when(deleted, OPERATOR));
    assertEquals(RejectionCode.NOT_FOUND, rejected.rejection().code());
    assertEquals(List.of(), rejected.events());
  }

  @Test
  void anUnknownUsersKeyIsNeverRewrapped() {
    var rejected = assertInstanceOf(Decision.Rejected.class, when(null, OPERATOR));
    assertEquals(RejectionCode.NOT_FOUND, rejected.rejection().code());
    assertEquals(List.of(), rejected.events());
  }

  @Test
  void aPlatformIsForbiddenEvenForItsOwnUserAndLearnsNothingOfOthers() {
    User user = givenAUserOf("A");
    for (var state : new User[] {user, null}) {
      var rejected = assertInstanceOf(Decision.Rejected.class, when(state, "A"));
      assertEquals(RejectionCode.FORBIDDEN, rejected.rejection().code());
    }
    var other = assertInstanceOf(Decision.Rejected.class, when(user, "B"));
    assertEquals(RejectionCode.FORBIDDEN, other.rejection().code());
  }
}
