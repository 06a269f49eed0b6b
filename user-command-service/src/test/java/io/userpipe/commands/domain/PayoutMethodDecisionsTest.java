package io.userpipe.commands.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.commands.domain.Command.AddPayoutMethod;
import io.userpipe.commands.domain.Command.RemovePayoutMethod;
import io.userpipe.commands.domain.Command.UpdateUser;
import io.userpipe.commands.domain.Event.DefaultPayoutMethodChanged;
import io.userpipe.commands.domain.Event.PayoutMethodAdded;
import io.userpipe.commands.domain.Event.PayoutMethodRemoved;
import io.userpipe.schemas.vocabulary.RejectionCode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Given a user, when a payout command arrives, then these events (or this rejection). */
class PayoutMethodDecisionsTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final PayoutDetails ACH =
      PayoutDetails.ach("021000021", "000123456789", "checking");

  private final UserDecider decider =
      new UserDecider(
          new CreateUserValidator(new PhoneNormalizer(), CreateUserValidatorTest.CLOCK),
          VerificationPolicy.DEFAULT,
          new UserDeciderTest.ScriptedCodes());

  private User user = created();

  private User created() {
    var decision =
        (Decision.Accepted)
            decider.decide(
                null,
                new CommandEnvelope("c0", "p1", NOW, "u1", CreateUserValidatorTest.valid()),
                NOW);
    return UserDecider.evolve(null, "u1", decision.events().get(0), "p1", NOW);
  }

  private Decision decide(String commandId, Command command, String ofacStatus) {
    Decision decision =
        decider.decide(
            user, new CommandEnvelope(commandId, "p1", NOW, "u1", command), NOW, ofacStatus);
    if (decision instanceof Decision.Accepted a) {
      for (Event e : a.events()) {
        user = UserDecider.evolve(user, "u1", e, "p1", NOW);
      }
    }
    return decision;
  }

  private Decision decide(String commandId, Command command) {
    return decide(commandId, command, "unflagged");
  }

  private static Rejection rejection(Decision d) {
    return assertInstanceOf(Decision.Rejected.class, d).rejection();
  }

  @Test
  void theFirstPayoutMethodBecomesTheDefaultAndTheNextDoesNot() {
    var first = assertInstanceOf(Decision.Accepted.class, decide("c1", new AddPayoutMethod(ACH)));
    String id = UserDecider.payoutMethodId("c1");
    assertEquals(
        List.of(new PayoutMethodAdded(id, ACH), new DefaultPayoutMethodChanged(id)),
        first.events());
    var second =
        assertInstanceOf(
            Decision.Accepted.class,
            decide("c2", new AddPayoutMethod(PayoutDetails.paypal("ada@example.com"))));
    assertEquals(1, second.events().size());
    assertEquals(id, user.defaultPayoutMethod());
    assertEquals(2, user.payoutMethods().size());
  }

  @Test
  void aMethodOfAKindTheUserHasReplacesItAndStaysTheDefault() {
    decide("c1", new AddPayoutMethod(ACH));
    String first = UserDecider.payoutMethodId("c1");
    var other = PayoutDetails.ach("021000021", "000987654321", "savings");
    var replaced =
        assertInstanceOf(Decision.Accepted.class, decide("c2", new AddPayoutMethod(other)));
    String second = UserDecider.payoutMethodId("c2");
    assertEquals(
        List.of(
            new PayoutMethodRemoved(first),
            new PayoutMethodAdded(second, other),
            new DefaultPayoutMethodChanged(second)),
        replaced.events());
    assertEquals(1, user.payoutMethods().size());
    assertEquals(second, user.defaultPayoutMethod());
  }

  @Test
  void theSameMethodAgainChangesNothing() {
    decide("c1", new AddPayoutMethod(ACH));
    var again = assertInstanceOf(Decision.Accepted.class, decide("c2", new AddPayoutMethod(ACH)));
    assertTrue(again.events().isEmpty());
    assertEquals(UserDecider.payoutMethodId("c1"), user.defaultPayoutMethod());
  }

  @Test
  void severalMethodsOfOneKindFromBeforeTheRuleAreAllReplacedByTheNext() {
    // a user of the previous version, who added two PayPal accounts and made the second the default
    var a = PayoutDetails.paypal("ada@example.com");
    var b = PayoutDetails.paypal("ada.l@example.com");
    user =
        user.withPayoutMethods(
            List.of(new PayoutMethod("pm-a", a), new PayoutMethod("pm-b", b)), "pm-b");
    var c = PayoutDetails.paypal("lovelace@example.com");
    var replaced = assertInstanceOf(Decision.Accepted.class, decide("c1", new AddPayoutMethod(c)));
    String id = UserDecider.payoutMethodId("c1");
    assertEquals(
        List.of(
            new PayoutMethodRemoved("pm-a"),
            new PayoutMethodRemoved("pm-b"),
            new PayoutMethodAdded(id, c),
            new DefaultPayoutMethodChanged(id)),
        replaced.events());
    assertEquals(List.of(new PayoutMethod(id, c)), user.payoutMethods());
  }

  @Test
  void anotherKindIsAddedBesideAndTheDefaultStays() {
    decide("c1", new AddPayoutMethod(ACH));
    var cash =
        assertInstanceOf(
            Decision.Accepted.class,
            decide("c2", new AddPayoutMethod(PayoutDetails.cashApp("$Ada"))));
    assertEquals(1, cash.events().size());
    assertEquals(UserDecider.payoutMethodId("c1"), user.defaultPayoutMethod());
  }

  @Test
  void anInvalidMethodIsRefusedByTheRules() {
    var r =
        rejection(
            decide(
                "c1", new AddPayoutMethod(PayoutDetails.ach("021000022", "12345678", "checking"))));
    assertEquals("routing_number", r.field());
    assertEquals("fails the ABA checksum", r.message());
  }

  @Test
  void aUserFlaggedByOfacCannotAddPayoutMethodsButOneInReviewCan() {
    var flagged = rejection(decide("c1", new AddPayoutMethod(ACH), "flagged"));
    assertEquals(RejectionCode.CONFLICT, flagged.code());
    assertEquals("ofac_status", flagged.field());
    assertInstanceOf(Decision.Accepted.class, decide("c2", new AddPayoutMethod(ACH), "in_review"));
  }

  @Test
  void removingTheDefaultLeavesNoDefault() {
    decide("c1", new AddPayoutMethod(ACH));
    String id = UserDecider.payoutMethodId("c1");
    var removed =
        assertInstanceOf(Decision.Accepted.class, decide("c2", new RemovePayoutMethod(id)));
    assertEquals(
        List.of(new PayoutMethodRemoved(id), new DefaultPayoutMethodChanged(null)),
        removed.events());
    assertNull(user.defaultPayoutMethod());
    assertTrue(user.payoutMethods().isEmpty());
    assertEquals(
        RejectionCode.NOT_FOUND, rejection(decide("c3", new RemovePayoutMethod(id))).code());
  }

  @Test
  void theDefaultMustBeOneOfTheUsersMethods() {
    decide("c1", new AddPayoutMethod(ACH));
    decide("c2", new AddPayoutMethod(PayoutDetails.venmo("2025550143")));
    String venmo = UserDecider.payoutMethodId("c2");
    var set =
        assertInstanceOf(
            Decision.Accepted.class,
            decide("c3", new UpdateUser(null, null, null, null, null, venmo)));
    assertEquals(List.of(new DefaultPayoutMethodChanged(venmo)), set.events());
    var unknown = rejection(decide("c4", new UpdateUser(null, null, null, null, null, "pm_nope")));
    assertEquals("default_payout_method", unknown.field());
  }

  @Test
  void aDeletedUserKeepsNoPayoutMethods() {
    decide("c1", new AddPayoutMethod(ACH));
    decide("c2", new Command.DeleteUser());
    assertTrue(user.payoutMethods().isEmpty());
    assertNull(user.defaultPayoutMethod());
  }
}
