package io.userpipe.commands.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.commands.domain.Command.AddPayoutMethod;
import io.userpipe.commands.domain.Command.CreateUser;
import io.userpipe.commands.domain.Command.DeleteUser;
import io.userpipe.commands.domain.Command.EraseUser;
import io.userpipe.commands.domain.Command.RemovePayoutMethod;
import io.userpipe.commands.domain.Command.SendVerificationToken;
import io.userpipe.commands.domain.Command.SubmitCompliance;
import io.userpipe.commands.domain.Command.UpdateUser;
import io.userpipe.commands.domain.Command.VerifyUser;
import io.userpipe.commands.domain.Event.ConnectionConfirmed;
import io.userpipe.commands.domain.Event.ConnectionRequested;
import io.userpipe.commands.domain.Event.ErasureHeld;
import io.userpipe.commands.domain.Event.MetadataChanged;
import io.userpipe.commands.domain.Event.PlatformConnected;
import io.userpipe.commands.domain.Event.PlatformDisconnected;
import io.userpipe.commands.domain.Event.UserDeleted;
import io.userpipe.commands.domain.Event.UserUpdated;
import io.userpipe.commands.domain.Event.UserVerified;
import io.userpipe.schemas.vocabulary.RejectionCode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Consent to connect and platform-scoped data, given/when/then: one person per phone whichever
 * platform asks, but a platform that finds the person by phone sees nothing of theirs until the
 * person confirms with a code sent on its behalf; metadata is each platform's own; a platform's
 * DELETE disconnects only it.
 */
class ConsentDecisionsTest {

  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

  private final UserDecider decider =
      new UserDecider(
          new CreateUserValidator(new PhoneNormalizer(), CreateUserValidatorTest.CLOCK),
          VerificationPolicy.DEFAULT,
          new UserDeciderTest.ScriptedCodes());

  private static CommandEnvelope command(String platform, Command command) {
    return new CommandEnvelope("cmd-" + platform, platform, NOW, "u1", command);
  }

  private static CreateUser createBy(String email, Map<String, String> metadata) {
    return new CreateUser(
        "Ada", "Lovelace", email, "1", "2025550173", null, "1990-12-10", metadata);
  }

  /** A platform's create that knows only the name, the email and the phone (no date of birth). */
  private static CreateUser sparseCreate(String email, Map<String, String> metadata) {
    return new CreateUser("Augusta", "King", email, "1", "2025550173", null, null, metadata);
  }

  private static Profile withEmail(Profile p, String email) {
    return new Profile(
        p.firstName(), p.lastName(), email, p.phone(), p.username(), p.dateOfBirth(), p.address());
  }

  /** The state after the decision's events (accepted or recorded with a rejection). */
  private static User apply(User state, String platform, Decision decision) {
    List<Event> events =
        decision instanceof Decision.Accepted a
            ? a.events()
            : ((Decision.Rejected) decision).events();
    for (Event e : events) {
      state = UserDecider.evolve(state, "u1", e, platform, NOW);
    }
    return state;
  }

  private User when(User state, String platform, Command command, String ofacStatus) {
    return apply(
        state, platform, decider.decide(state, command(platform, command), NOW, ofacStatus));
  }

  private User when(User state, String platform, Command command) {
    return when(state, platform, command, "unflagged");
  }

  private List<Event> events(User state, String platform, Command command, String ofacStatus) {
    return assertInstanceOf(
            Decision.Accepted.class,
            decider.decide(state, command(platform, command), NOW, ofacStatus))
        .events();
  }

  private Rejection rejection(User state, String platform, Command command, String ofacStatus) {
    return assertInstanceOf(
            Decision.Rejected.class,
            decider.decide(state, command(platform, command), NOW, ofacStatus))
        .rejection();
  }

  /** A's person, with A's metadata. */
  private User givenAsUser() {
    return when(null, "A", createBy("ada@example.com", Map.of("note", "A-only")));
  }

  /** A's person, and B asked to connect. */
  private User givenBPending() {
    return when(givenAsUser(), "B", sparseCreate("b-guess@example.com", Map.of("b", "own")));
  }

  /** A's person, and B connected with the person's code. */
  private User givenBConnected() {
    User user = when(givenBPending(), "B", new SendVerificationToken());
    return when(user, "B", new VerifyUser("111111"));
  }

  @Test
  void aCreateWithAKnownPhoneByAnotherPlatformAsksToConnectAndChangesNoProfileField() {
    User before = givenAsUser();
    var events = events(before, "B", sparseCreate("b-guess@example.com", Map.of("b", "own")), null);

    var requested = assertInstanceOf(ConnectionRequested.class, events.get(0));
    assertEquals(1, events.size());
    assertEquals(
        Set.of("first_name", "last_name", "email", "phone_number"), requested.fieldsSent());
    assertEquals("b-guess@example.com", requested.sent().email());
    assertEquals(Map.of("b", "own"), requested.metadata());

    User after = apply(before, "B", new Decision.Accepted("u1", events, false));
    assertEquals(before.profile(), after.profile(), "the person's profile is unchanged");
    assertTrue(after.connection("B").orElseThrow().pending());
    assertFalse(after.isConnectedTo("B"));
    assertEquals(Map.of("note", "A-only"), after.connection("A").orElseThrow().metadata());
  }

  @Test
  void aRepeatCreateByThePendingPlatformAnswersTheSameAndChangesNothing() {
    var decision =
        assertInstanceOf(
            Decision.Accepted.class,
            decider.decide(
                givenBPending(),
                command("B", sparseCreate("other@example.com", Map.of())),
                NOW,
                null));
    assertEquals(List.of(), decision.events());
    assertEquals("u1", decision.userId());
    assertFalse(decision.created());
  }

  @Test
  void aPendingPlatformMayOnlySendAndVerifyTheCode() {
    User user = givenBPending();
    List<Command> refused =
        List.of(
            new UpdateUser(null, null, "b@example.com", null, null),
            new DeleteUser(),
            new SubmitCompliance(null, null),
            new AddPayoutMethod(
                new PayoutDetails("paypal", null, null, null, "a@example.com", null, null)),
            new RemovePayoutMethod("pm-1"));
    for (Command c : refused) {
      assertEquals(
          RejectionCode.CONNECTION_PENDING,
          rejection(user, "B", c, "unflagged").code(),
          c.toString());
    }
    assertEquals(1, events(user, "B", new SendVerificationToken(), null).size());
  }

  @Test
  void theCodeIsSentOnBehalfOfTheAskingPlatformAndConfirmsItsConnection() {
    User user = givenBPending();
    var sent =
        assertInstanceOf(
            Decision.Accepted.class,
            decider.decide(user, command("B", new SendVerificationToken()), NOW, null));
    var sms = assertInstanceOf(Notification.Sms.class, sent.notifications().get(0));
    assertEquals("+12025550173", sms.to(), "the person's phone, which B never sees");
    assertTrue(sms.text().contains("B asks to connect"), sms.text());
    user = apply(user, "B", sent);
    assertEquals("B", user.pendingCode().platformId());

    var confirmed = events(user, "B", new VerifyUser("111111"), null);
    assertEquals(List.of(new ConnectionConfirmed(), new UserVerified()), confirmed);
    User after = apply(user, "B", new Decision.Accepted("u1", confirmed, false));
    assertTrue(after.isConnectedTo("B"));
    assertTrue(after.verified());
    assertNull(after.pendingCode());
    assertNull(after.connection("B").orElseThrow().sent(), "what B sent is not kept once it sees");
  }

  @Test
  void confirmingOnAVerifiedPhoneConnectsWithoutVerifyingAgain() {
    User user = when(givenAsUser(), "A", new SendVerificationToken());
    user = when(user, "A", new VerifyUser("111111"));
    user = when(user, "B", sparseCreate("b@example.com", Map.of()));
    user =
        apply(
            user,
            "B",
            decider.decide(user, command("B", new SendVerificationToken()), NOW.plusSeconds(60)));
    assertEquals(
        List.of(new ConnectionConfirmed()), events(user, "B", new VerifyUser("222222"), null));
  }

  @Test
  void aCodeIsBoundToThePlatformItWasIssuedFor() {
    // A's own code does not connect B, and B's guesses do not count against it
    User user = when(givenBPending(), "A", new SendVerificationToken());
    Decision byB = decider.decide(user, command("B", new VerifyUser("111111")), NOW, null);
    assertEquals("token", assertInstanceOf(Decision.Rejected.class, byB).rejection().field());
    assertEquals(List.of(), ((Decision.Rejected) byB).events());

    // a code issued for B does not connect C
    user = givenBPending();
    user = when(user, "C", sparseCreate("c@example.com", Map.of()));
    user = when(user, "B", new SendVerificationToken()); // the second code: 222222
    Decision byC = decider.decide(user, command("C", new VerifyUser("222222")), NOW, null);
    assertInstanceOf(Decision.Rejected.class, byC);
    assertTrue(apply(user, "C", byC).connection("C").orElseThrow().pending());

    // nor does A, connected, use up B's code
    Decision byA = decider.decide(user, command("A", new VerifyUser("222222")), NOW, null);
    assertInstanceOf(Decision.Rejected.class, byA);
    assertEquals(
        List.of(new ConnectionConfirmed(), new UserVerified()),
        events(user, "B", new VerifyUser("222222"), null));
  }

  @Test
  void metadataIsEachPlatformsOwnAndProfileFieldsAreShared() {
    User user = givenBConnected();
    var update = new UpdateUser(null, null, "ada.new@example.com", null, Map.of("b", "changed"));
    var events = events(user, "B", update, null);
    assertEquals(
        new UserUpdated(withEmail(user.profile(), "ada.new@example.com"), Set.of("email")),
        events.get(0));
    assertEquals(new MetadataChanged(Map.of("b", "changed")), events.get(1));

    User after = apply(user, "B", new Decision.Accepted("u1", events, false));
    assertEquals("ada.new@example.com", after.profile().email(), "shared with A");
    assertEquals(Map.of("note", "A-only"), after.connection("A").orElseThrow().metadata());
    assertEquals(Map.of("b", "changed"), after.connection("B").orElseThrow().metadata());
    assertTrue(after.connection("B").orElseThrow().fieldsSent().contains("email"));
    assertFalse(after.connection("B").orElseThrow().fieldsSent().contains("date_of_birth"));
  }

  @Test
  void sendingAFieldAlreadyThereStillRecordsThatThePlatformSentIt() {
    User user = givenBConnected();
    var events = events(user, "B", new UpdateUser(null, null, null, "1990-12-10", null), null);
    assertEquals(List.of(new UserUpdated(user.profile(), Set.of("date_of_birth"))), events);
  }

  @Test
  void aDeleteByOnePlatformDisconnectsOnlyIt() {
    User user = givenBConnected();
    assertEquals(List.of(new PlatformDisconnected()), events(user, "B", new DeleteUser(), null));
    User after = when(user, "B", new DeleteUser());
    assertFalse(after.deleted());
    assertTrue(after.isConnectedTo("A"));
    assertTrue(after.connection("B").isEmpty());
    assertEquals(
        RejectionCode.NOT_FOUND,
        rejection(after, "B", new UpdateUser("X", null, null, null, null), null).code());
    assertEquals(List.of(new UserDeleted()), events(after, "A", new DeleteUser(), "unflagged"));
  }

  @Test
  void theLastConnectedPlatformLeavingErasesThePersonAndPendingOnesDoNotKeepThem() {
    User user = givenBPending();
    assertEquals(List.of(new UserDeleted()), events(user, "A", new DeleteUser(), "unflagged"));
    User after = when(user, "A", new DeleteUser());
    assertTrue(after.deleted());
    assertNull(after.profile());
    assertTrue(after.connections().isEmpty());
  }

  @Test
  void aSanctionsFindingHoldsTheDataWhenTheLastPlatformLeaves() {
    for (String status : List.of("flagged", "in_review", "id_verification_required")) {
      User user = givenAsUser();
      assertEquals(
          List.of(new PlatformDisconnected(), new ErasureHeld(status)),
          events(user, "A", new DeleteUser(), status));
      User held = when(user, "A", new DeleteUser(), status);
      assertFalse(held.deleted(), status);
      assertTrue(held.erasureHeld());
      assertEquals(user.profile(), held.profile(), "the data is kept");
      assertEquals(
          RejectionCode.NOT_FOUND,
          rejection(held, "A", new SendVerificationToken(), status).code(),
          "gone for the platform");
    }
  }

  @Test
  void anOperatorErasesThePersonWhateverPlatformsAreConnected() {
    User user = givenBConnected();
    assertEquals(
        List.of(new UserDeleted()),
        events(user, "operator:ops", new EraseUser("ops@example.com", "request"), "unflagged"));
    User held = when(givenAsUser(), "A", new DeleteUser(), "flagged");
    assertEquals(
        List.of(new UserDeleted()),
        events(held, "operator:ops", new EraseUser("ops@example.com", "cleared"), "unflagged"));
  }

  @Test
  void aPlatformCannotEraseAPersonEvenOneItIsConnectedTo() {
    Rejection r =
        rejection(givenAsUser(), "A", new EraseUser("A", "we want them gone"), "unflagged");
    assertEquals(RejectionCode.FORBIDDEN, r.code());
  }

  @Test
  void anOperatorErasureIsRefusedWhileASanctionsFindingHoldsTheData() {
    Rejection r =
        rejection(
            givenAsUser(), "operator:ops", new EraseUser("ops@example.com", "request"), "flagged");
    assertEquals(RejectionCode.CONFLICT, r.code());
    assertEquals("ofac_status", r.field());
    assertTrue(r.message().contains("flagged"), r.message());
  }

  @Test
  void aPlatformWithoutAConnectionStillFindsNoUser() {
    User user = givenBPending();
    assertEquals(
        RejectionCode.NOT_FOUND, rejection(user, "C", new SendVerificationToken(), null).code());
    assertEquals(
        RejectionCode.NOT_FOUND, rejection(user, "C", new VerifyUser("111111"), null).code());
  }

  @Test
  void aLogWrittenBeforeConnectionsFoldsIntoConnectedConnectionsThatSeeEveryField() {
    User user = givenAsUser();
    User upgraded = UserDecider.evolve(user, "u1", new PlatformConnected(), "B", NOW);
    Connection b = upgraded.connection("B").orElseThrow();
    assertTrue(upgraded.isConnectedTo("B"));
    assertEquals(Profile.ALL_FIELDS, b.fieldsSent());
    assertEquals(Map.of(), b.metadata(), "the creator's metadata stays the creator's");
    assertEquals(Map.of("note", "A-only"), upgraded.connection("A").orElseThrow().metadata());
    assertEquals(
        List.of(new UserUpdated(withEmail(user.profile(), "x@example.com"), Set.of("email"))),
        events(upgraded, "B", new UpdateUser(null, null, "x@example.com", null, null), null));
  }
}
