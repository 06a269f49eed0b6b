package io.userpipe.projections.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.userpipe.schemas.DefaultPayoutMethodChanged;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.PayoutMethodAdded;
import io.userpipe.schemas.PayoutMethodRemoved;
import io.userpipe.schemas.PayoutMethodSummary;
import io.userpipe.schemas.PlatformConnected;
import io.userpipe.schemas.TinSubmitted;
import io.userpipe.schemas.TinVerification;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserDeleted;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserUpdated;
import io.userpipe.schemas.UserVerified;
import io.userpipe.schemas.UserView;
import io.userpipe.schemas.W8BenSubmitted;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserViewFolderTest {

  private static final Instant T1 = Instant.parse("2026-11-24T12:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-24T12:05:00Z");
  private static final EncryptedValue PROFILE =
      new EncryptedValue("user:u1", ByteBuffer.wrap(new byte[12]), ByteBuffer.wrap(new byte[] {1}));
  private static final EncryptedValue PROFILE_2 =
      new EncryptedValue("user:u1", ByteBuffer.wrap(new byte[12]), ByteBuffer.wrap(new byte[] {2}));

  private static UserEvent event(long version, String platform, Instant at, Object payload) {
    return UserEvent.newBuilder()
        .setEventId("e" + version)
        .setUserId("u1")
        .setVersion(version)
        .setOccurredAt(at)
        .setPlatformId(platform)
        .setPayload(payload)
        .build();
  }

  private static UserEvent created() {
    return event(1, "p1", T1, new UserCreated(PROFILE));
  }

  @Test
  void aCreationMakesAnUnverifiedUserConnectedToItsPlatform() {
    UserView view = UserViewFolder.fold(null, created());
    assertEquals("u1", view.getId());
    assertEquals("unverified", view.getStatus());
    assertEquals(List.of("p1"), view.getPlatforms());
    assertEquals(T1, view.getCreated());
    assertEquals(T1, view.getUpdated());
    assertEquals(PROFILE, view.getProfile());
  }

  @Test
  void aConnectionAddsThePlatformAndTouchesUpdated() {
    UserView view = UserViewFolder.fold(null, created());
    UserView after = UserViewFolder.fold(view, event(2, "p2", T2, new PlatformConnected()));
    assertEquals(List.of("p1", "p2"), after.getPlatforms());
    assertEquals(2, after.getVersion());
    assertEquals(T1, after.getCreated());
    assertEquals(T2, after.getUpdated());
  }

  @Test
  void anEventAlreadyFoldedInChangesNothing() {
    UserView view = UserViewFolder.fold(null, created());
    UserView after = UserViewFolder.fold(view, event(2, "p2", T2, new PlatformConnected()));
    assertSame(after, UserViewFolder.fold(after, event(2, "p2", T2, new PlatformConnected())));
    assertSame(after, UserViewFolder.fold(after, created()));
  }

  @Test
  void anUpdateReplacesTheSealedProfile() {
    UserView after =
        UserViewFolder.fold(
            UserViewFolder.fold(null, created()),
            event(2, "p1", T2, new UserUpdated(PROFILE_2, List.of("email"))));
    assertEquals(PROFILE_2, after.getProfile());
  }

  @Test
  void verificationMakesTheUserVerified() {
    UserView after =
        UserViewFolder.fold(
            UserViewFolder.fold(null, created()), event(2, "p1", T2, new UserVerified()));
    assertEquals("verified", after.getStatus());
  }

  @Test
  void deletionKeepsATombstoneWithoutPersonalData() {
    UserView after =
        UserViewFolder.fold(
            UserViewFolder.fold(null, created()), event(2, "p1", T2, new UserDeleted()));
    assertEquals(true, after.getDeleted());
    assertNull(after.getProfile());
    assertEquals("u1", after.getId());
  }

  private static UserView withTin(String submissionId) {
    return UserViewFolder.fold(
        UserViewFolder.fold(null, created()),
        event(
            2,
            "p1",
            T2,
            new TinSubmitted(submissionId, "individual", "ssn", "6789", PROFILE, null)));
  }

  private static TinVerification change(String submissionId, String to) {
    return new TinVerification("e", "u1", submissionId, "pending", to, "irs code 0", 0, null, T2);
  }

  @Test
  void aNewUserHasNoTaxIdAndIsUnsubmitted() {
    UserView view = UserViewFolder.fold(null, created());
    assertEquals("unsubmitted", view.getCompliance().getTaxIdVerification());
    assertEquals(false, view.getCompliance().getTaxIdCollected());
  }

  @Test
  void aSubmittedTinIsPendingWithItsLastFourDigits() {
    UserView view = withTin("s1");
    assertEquals("pending", view.getCompliance().getTaxIdVerification());
    assertEquals("6789", view.getCompliance().getTinLast4());
    assertEquals(true, view.getCompliance().getTaxIdCollected());
  }

  @Test
  void theVerifiersAnswerForTheCurrentSubmissionDecidesTheStatus() {
    assertEquals(
        "matched",
        UserViewFolder.fold(withTin("s1"), change("s1", "matched"))
            .getCompliance()
            .getTaxIdVerification());
    assertEquals(
        "mismatched",
        UserViewFolder.fold(withTin("s1"), change("s1", "mismatched"))
            .getCompliance()
            .getTaxIdVerification());
  }

  @Test
  void aLateAnswerAboutASupersededSubmissionChangesNothing() {
    UserView view = withTin("s2");
    assertSame(view, UserViewFolder.fold(view, change("s1", "matched")));
  }

  @Test
  void aW8BenIsCollected() {
    UserView view =
        UserViewFolder.fold(
            UserViewFolder.fold(null, created()),
            event(2, "p1", T2, new W8BenSubmitted("GB", PROFILE, null)));
    assertEquals(true, view.getCompliance().getW8BenCollected());
  }

  @Test
  void anEventBeforeTheCreationFoldsIntoNothing() {
    assertNull(UserViewFolder.fold(null, event(2, "p2", T2, new PlatformConnected())));
  }

  @Test
  void replayingTheSameEventsBuildsTheSameView() {
    var events = List.of(created(), event(2, "p2", T2, new PlatformConnected()));
    UserView first = null;
    UserView second = null;
    for (UserEvent e : events) {
      first = UserViewFolder.fold(first, e);
    }
    for (UserEvent e : events) {
      second = UserViewFolder.fold(second, e);
    }
    assertEquals(first, second);
  }

  private static io.userpipe.schemas.OfacStatusChanged ofac(
      String from, String to, String reason, Instant at) {
    return io.userpipe.schemas.OfacStatusChanged.newBuilder()
        .setEventId("o-" + to)
        .setUserId(created().getUserId())
        .setPreviousStatus(from)
        .setStatus(to)
        .setReason(reason)
        .setListVersion("v1")
        .setOccurredAt(at)
        .build();
  }

  @Test
  void ofacStatusChangesFoldIntoTheFlagsAndAnIdVerificationMarksTheUserIdVerified() {
    UserView view = UserViewFolder.fold(null, created());
    assertEquals(null, view.getCompliance().getOfacStatus());
    UserView screened =
        UserViewFolder.fold(view, ofac(null, "id_verification_required", "screening", T1));
    assertEquals("id_verification_required", screened.getCompliance().getOfacStatus());
    assertEquals(T1, screened.getCompliance().getOfacScreenedAt());
    UserView inReview =
        UserViewFolder.fold(
            screened, ofac("id_verification_required", "in_review", "id_verification", T2));
    assertEquals("in_review", inReview.getCompliance().getOfacStatus());
    assertEquals(T1, inReview.getCompliance().getOfacScreenedAt(), "not a screening");
    assertEquals(true, inReview.getCompliance().getIdVerified());
    assertSame(null, UserViewFolder.fold(null, ofac(null, "unflagged", "screening", T1)));
  }

  @Test
  void theViewKeepsTheLatestUserVersionScreenedForAWriteToWaitFor() {
    UserView view = UserViewFolder.fold(null, created());
    assertEquals(null, view.getCompliance().getOfacScreenedVersion());
    var first = ofac(null, "unflagged", "screening", T1);
    first.setUserVersion(1L);
    UserView screened = UserViewFolder.fold(view, first);
    assertEquals(1L, screened.getCompliance().getOfacScreenedVersion());
    var rename = ofac("unflagged", "unflagged", "screening", T2);
    rename.setUserVersion(3L);
    UserView renamed = UserViewFolder.fold(screened, rename);
    assertEquals(3L, renamed.getCompliance().getOfacScreenedVersion());
    assertEquals("unflagged", renamed.getCompliance().getOfacStatus());
    var late = ofac("unflagged", "unflagged", "screening", T2);
    late.setUserVersion(2L);
    assertEquals(
        3L,
        UserViewFolder.fold(renamed, late).getCompliance().getOfacScreenedVersion(),
        "never backwards");
    var review = ofac("in_review", "unflagged", "review", T2); // no user version
    assertEquals(3L, UserViewFolder.fold(renamed, review).getCompliance().getOfacScreenedVersion());
  }

  @Test
  void payoutMethodsAreAddedRemovedAndTheDefaultFollows() {
    var method = new PayoutMethodSummary("pm_1", "ach", "****6789", "checking", PROFILE);
    UserView view = UserViewFolder.fold(null, created());
    view = UserViewFolder.fold(view, event(2, "p1", T2, new PayoutMethodAdded(method)));
    view = UserViewFolder.fold(view, event(3, "p1", T2, new DefaultPayoutMethodChanged("pm_1")));
    assertEquals(List.of(method), view.getPayoutMethods());
    assertEquals("pm_1", view.getDefaultPayoutMethod());
    view = UserViewFolder.fold(view, event(4, "p1", T2, new PayoutMethodRemoved("pm_1")));
    view = UserViewFolder.fold(view, event(5, "p1", T2, new DefaultPayoutMethodChanged(null)));
    assertEquals(List.of(), view.getPayoutMethods());
    assertNull(view.getDefaultPayoutMethod());
  }
}
