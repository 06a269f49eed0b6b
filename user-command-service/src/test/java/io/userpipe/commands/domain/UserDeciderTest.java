package io.userpipe.commands.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.commands.domain.Command.DeleteUser;
import io.userpipe.commands.domain.Command.SendVerificationToken;
import io.userpipe.commands.domain.Command.UpdateUser;
import io.userpipe.commands.domain.Command.VerifyUser;
import io.userpipe.commands.domain.Event.ConnectionRequested;
import io.userpipe.commands.domain.Event.MetadataChanged;
import io.userpipe.commands.domain.Event.UserCreated;
import io.userpipe.commands.domain.Event.UserDeleted;
import io.userpipe.commands.domain.Event.UserUpdated;
import io.userpipe.commands.domain.Event.UserVerified;
import io.userpipe.commands.domain.Event.VerificationAttemptFailed;
import io.userpipe.commands.domain.Event.VerificationTokenIssued;
import io.userpipe.schemas.vocabulary.RejectionCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Given a state, when a command arrives, then these events (or this rejection). */
class UserDeciderTest {

  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

  /** Codes handed out in order; the "hash" is the code itself, readable in assertions. */
  static final class ScriptedCodes implements Codes {
    final Deque<String> next = new ArrayDeque<>(List.of("111111", "222222", "333333"));

    @Override
    public String newCode() {
      return next.pop();
    }

    @Override
    public byte[] hash(String userId, String code) {
      return (userId + code).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean matches(String userId, String guess, byte[] storedHash) {
      return Arrays.equals(hash(userId, guess), storedHash);
    }
  }

  private final UserDecider decider =
      new UserDecider(
          new CreateUserValidator(new PhoneNormalizer(), CreateUserValidatorTest.CLOCK),
          VerificationPolicy.DEFAULT,
          new ScriptedCodes());

  private static CommandEnvelope command(String platform, Command command) {
    return new CommandEnvelope("cmd", platform, NOW, "u1", command);
  }

  private static CommandEnvelope create(String platform) {
    return command(platform, CreateUserValidatorTest.valid());
  }

  /** Applies an accepted decision's (or a rejection's) events to the state. */
  private static User apply(User state, String platform, Decision decision, Instant at) {
    List<Event> events =
        decision instanceof Decision.Accepted a
            ? a.events()
            : ((Decision.Rejected) decision).events();
    for (Event e : events) {
      state = UserDecider.evolve(state, "u1", e, platform, at);
    }
    return state;
  }

  private User given(String platform) {
    return apply(null, platform, decider.decide(null, create(platform), NOW), NOW);
  }

  private Rejection rejection(Decision d) {
    return assertInstanceOf(Decision.Rejected.class, d).rejection();
  }

  @Test
  void createsAUserWithTheNormalizedPhone() {
    var decision =
        assertInstanceOf(Decision.Accepted.class, decider.decide(null, create("p1"), NOW));
    assertTrue(decision.created());
    var created = assertInstanceOf(UserCreated.class, decision.events().get(0));
    assertEquals("+12025550173", created.profile().phone().e164());
  }

  @Test
  void anotherPlatformWithTheSamePhoneAsksToConnectInsteadOfCreating() {
    var decision =
        assertInstanceOf(Decision.Accepted.class, decider.decide(given("p1"), create("p2"), NOW));
    assertEquals(false, decision.created());
    assertEquals(1, decision.events().size());
    assertInstanceOf(ConnectionRequested.class, decision.events().get(0));
  }

  @Test
  void repeatedCreateFromTheSamePlatformChangesNothing() {
    var decision =
        assertInstanceOf(Decision.Accepted.class, decider.decide(given("p1"), create("p1"), NOW));
    assertEquals(List.of(), decision.events());
  }

  @Test
  void anotherPlatformCannotSeeOrChangeTheUser() {
    User user = given("p1");
    assertEquals(
        RejectionCode.NOT_FOUND,
        rejection(decider.decide(user, command("p2", new DeleteUser()), NOW)).code());
    assertEquals(
        RejectionCode.NOT_FOUND,
        rejection(
                decider.decide(
                    user, command("p2", new UpdateUser("X", null, null, null, null)), NOW))
            .code());
  }

  @Test
  void updateChangesOnlyTheGivenFields() {
    User user = given("p1");
    var decision =
        assertInstanceOf(
            Decision.Accepted.class,
            decider.decide(
                user,
                command(
                    "p1", new UpdateUser(null, null, "new@example.com", null, Map.of("a", "b"))),
                NOW));
    var updated = assertInstanceOf(UserUpdated.class, decision.events().get(0));
    assertEquals("new@example.com", updated.profile().email());
    assertEquals("Ada", updated.profile().firstName());
    assertEquals(new MetadataChanged(Map.of("a", "b")), decision.events().get(1));
  }

  @Test
  void updateWithABadEmailIsRejectedNamingTheField() {
    var r =
        rejection(
            decider.decide(
                given("p1"), command("p1", new UpdateUser(null, null, "nope", null, null)), NOW));
    assertEquals("email", r.field());
  }

  @Test
  void deleteErasesTheProfileAndTheUserIsGoneForEveryone() {
    User user = given("p1");
    Decision decision = decider.decide(user, command("p1", new DeleteUser()), NOW);
    assertEquals(List.of(new UserDeleted()), ((Decision.Accepted) decision).events());
    User deleted = apply(user, "p1", decision, NOW);
    assertTrue(deleted.deleted());
    assertNull(deleted.profile());
    assertEquals(
        RejectionCode.NOT_FOUND,
        rejection(decider.decide(deleted, command("p1", new SendVerificationToken()), NOW)).code());
  }

  @Test
  void sendingACodeTextsItAndKeepsOnlyItsHash() {
    User user = given("p1");
    var decision =
        assertInstanceOf(
            Decision.Accepted.class,
            decider.decide(user, command("p1", new SendVerificationToken()), NOW));
    var issued = assertInstanceOf(VerificationTokenIssued.class, decision.events().get(0));
    assertEquals(NOW.plus(Duration.ofMinutes(10)), issued.expiresAt());
    var sms = assertInstanceOf(Notification.Sms.class, decision.notifications().get(0));
    assertEquals("+12025550173", sms.to());
    assertTrue(sms.text().contains("111111"));
  }

  @Test
  void theRightCodeVerifiesTheUser() {
    User user = sent(given("p1"), NOW);
    var decision =
        decider.decide(user, command("p1", new VerifyUser("111111")), NOW.plusSeconds(60));
    assertEquals(List.of(new UserVerified()), ((Decision.Accepted) decision).events());
    assertTrue(apply(user, "p1", decision, NOW).verified());
  }

  @Test
  void aWrongCodeIsRefusedAndCounted() {
    User user = sent(given("p1"), NOW);
    Decision decision = decider.decide(user, command("p1", new VerifyUser("999999")), NOW);
    assertEquals(RejectionCode.INVALID_FIELD, rejection(decision).code());
    assertEquals("token", rejection(decision).field());
    assertEquals(
        List.of(new VerificationAttemptFailed(1, false)), ((Decision.Rejected) decision).events());
  }

  @Test
  void theFifthWrongCodeLocksAndEvenTheRightCodeIsThenRefused() {
    User user = sent(given("p1"), NOW);
    for (int i = 1; i <= 5; i++) {
      Decision d = decider.decide(user, command("p1", new VerifyUser("999999")), NOW);
      assertEquals(
          i == 5 ? RejectionCode.LOCKED : RejectionCode.INVALID_FIELD, rejection(d).code());
      user = apply(user, "p1", d, NOW);
    }
    assertEquals(
        RejectionCode.LOCKED,
        rejection(decider.decide(user, command("p1", new VerifyUser("111111")), NOW)).code());
  }

  @Test
  void anExpiredCodeIsRefusedAsExpired() {
    User user = sent(given("p1"), NOW);
    Decision d =
        decider.decide(
            user, command("p1", new VerifyUser("111111")), NOW.plus(Duration.ofMinutes(10)));
    assertEquals(RejectionCode.EXPIRED, rejection(d).code());
  }

  @Test
  void aNewCodeReplacesALockedOne() {
    User user = sent(given("p1"), NOW);
    for (int i = 0; i < 5; i++) {
      user =
          apply(
              user, "p1", decider.decide(user, command("p1", new VerifyUser("999999")), NOW), NOW);
    }
    user = sent(user, NOW.plusSeconds(60));
    assertInstanceOf(
        Decision.Accepted.class,
        decider.decide(user, command("p1", new VerifyUser("222222")), NOW.plusSeconds(70)));
  }

  @Test
  void resendingIsThrottledByIntervalAndHourlyCap() {
    User user = sent(given("p1"), NOW);
    assertEquals(
        RejectionCode.THROTTLED,
        rejection(
                decider.decide(
                    user, command("p1", new SendVerificationToken()), NOW.plusSeconds(10)))
            .code());

    var codes = new ScriptedCodes();
    codes.next.clear();
    for (int i = 0; i < 10; i++) {
      codes.next.add("00000" + i);
    }
    var generous =
        new UserDecider(
            new CreateUserValidator(new PhoneNormalizer(), CreateUserValidatorTest.CLOCK),
            VerificationPolicy.DEFAULT,
            codes);
    User u = given("p1");
    Instant t = NOW;
    for (int i = 0; i < 5; i++) {
      Decision d = generous.decide(u, command("p1", new SendVerificationToken()), t);
      u = apply(u, "p1", d, t);
      t = t.plusSeconds(31);
    }
    Rejection capped = rejection(generous.decide(u, command("p1", new SendVerificationToken()), t));
    assertEquals(RejectionCode.THROTTLED, capped.code());
    assertTrue(capped.message().contains("per hour"));
    assertInstanceOf(
        Decision.Accepted.class,
        generous.decide(u, command("p1", new SendVerificationToken()), NOW.plusSeconds(3601)));
  }

  @Test
  void verifyingWithoutACodeOrWithAMalformedOneIsRefused() {
    User user = given("p1");
    assertEquals(
        "token",
        rejection(decider.decide(user, command("p1", new VerifyUser("111111")), NOW)).field());
    assertEquals(
        "token",
        rejection(decider.decide(sent(user, NOW), command("p1", new VerifyUser("12ab56")), NOW))
            .field());
    assertEquals(
        "token",
        rejection(decider.decide(sent(user, NOW), command("p1", new VerifyUser(null)), NOW))
            .field());
  }

  private User sent(User user, Instant at) {
    return apply(
        user, "p1", decider.decide(user, command("p1", new SendVerificationToken()), at), at);
  }
}
