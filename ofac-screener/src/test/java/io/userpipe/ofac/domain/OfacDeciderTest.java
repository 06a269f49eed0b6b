package io.userpipe.ofac.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.ofac.domain.OfacDecision.Accepted;
import io.userpipe.ofac.domain.OfacDecision.Rejected;
import io.userpipe.ofac.domain.OfacEvent.StatusChanged;
import io.userpipe.ofac.domain.OfacInput.Cause;
import io.userpipe.ofac.domain.OfacInput.Review;
import io.userpipe.ofac.domain.OfacInput.Screen;
import io.userpipe.ofac.domain.OfacInput.SubmitIdVerification;
import io.userpipe.schemas.vocabulary.OfacHint;
import io.userpipe.schemas.vocabulary.OfacStatus;
import io.userpipe.schemas.vocabulary.RejectionCode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Given a case, when a screening, an ID verification or a review arrives, then these events. */
class OfacDeciderTest {
  private static final Finding VOLKOV = finding(100, "f100");
  private static final Finding ZAFARANI = finding(200, "f200");

  private static Finding finding(int entNum, String fingerprint) {
    return finding(entNum, fingerprint, ScreenedName.PROFILE);
  }

  private static Finding finding(int entNum, String fingerprint, String nameSource) {
    return new Finding(
        entNum,
        "SDN " + entNum,
        "SDN " + entNum,
        "primary",
        List.of("SDGT"),
        0.9,
        "v1",
        fingerprint,
        nameSource,
        null,
        List.of(
            new Finding.Token("sdn", "exact", 1.0),
            new Finding.Token(Integer.toString(entNum), "typo", 0.89)));
  }

  private static Screen screen(Cause cause, Finding... matches) {
    return screen(cause, "m1", matches);
  }

  private static Screen screen(Cause cause, String matcherVersion, Finding... matches) {
    return new Screen(cause, List.of(matches), "v1", matcherVersion, Set.of());
  }

  /** Folds the inputs, each of which must be accepted, into a case. */
  private static OfacCase given(OfacInput... inputs) {
    OfacCase state = null;
    for (OfacInput input : inputs) {
      OfacDecision d = OfacDecider.decide(state, input);
      assertInstanceOf(Accepted.class, d, d.toString());
      state = OfacDecider.evolve(state, d);
    }
    return state;
  }

  /** The status change a decision publishes, or null when it publishes none. */
  private static StatusChanged published(OfacDecision d) {
    return assertInstanceOf(Accepted.class, d).events().stream()
        .filter(StatusChanged.class::isInstance)
        .map(StatusChanged.class::cast)
        .findFirst()
        .orElse(null);
  }

  private static Rejected rejected(OfacDecision d) {
    return assertInstanceOf(Rejected.class, d);
  }

  private static OfacCase matched() {
    return given(screen(Cause.SCREENING, VOLKOV));
  }

  private static OfacCase inReview() {
    return given(screen(Cause.SCREENING, VOLKOV), new SubmitIdVerification("c1"));
  }

  private static Review review(OfacCase state, boolean clear) {
    return new Review("r", clear, state.screeningVersion(), "alice", "note");
  }

  @Test
  void aFirstScreeningWithAMatchRequiresIdVerificationAndWithoutIsUnflagged() {
    StatusChanged hit = published(OfacDecider.decide(null, screen(Cause.SCREENING, VOLKOV)));
    assertNull(hit.previous());
    assertEquals(OfacStatus.ID_VERIFICATION_REQUIRED, hit.status());
    assertEquals(List.of(VOLKOV), hit.evidence());
    assertEquals(1, hit.screeningVersion());

    StatusChanged none = published(OfacDecider.decide(null, screen(Cause.SCREENING)));
    assertEquals(OfacStatus.UNFLAGGED, none.status());
  }

  @Test
  void aW9BusinessNameOnTheListRequiresIdVerificationWithItsSourceInTheEvidence() {
    // given an unflagged user, screened on the profile's name alone
    OfacCase clean = given(screen(Cause.SCREENING));
    Finding entity = finding(306, "f306", ScreenedName.W9_BUSINESS);
    // when a W-9's business name matches a listed entity (the names screened changed)
    StatusChanged c = published(OfacDecider.decide(clean, screen(Cause.PROFILE_CHANGED, entity)));
    // then the first raised status, with the entry and which name matched it
    assertEquals(OfacStatus.UNFLAGGED, c.previous());
    assertEquals(OfacStatus.ID_VERIFICATION_REQUIRED, c.status());
    assertEquals(List.of(entity), c.evidence());
    assertEquals(ScreenedName.W9_BUSINESS, c.evidence().get(0).nameSource());
  }

  @Test
  void aW9NameThatNoLongerMatchesLowersNothingAndKeepsItsSourceInTheEvidence() {
    // given a user raised by a W-9 individual name, in review
    Finding w9 = finding(100, "f100", ScreenedName.W9_INDIVIDUAL);
    OfacCase state = given(screen(Cause.SCREENING, w9), new SubmitIdVerification("c1"));
    // when a new W-9 gives another name that matches nothing
    StatusChanged c = published(OfacDecider.decide(state, screen(Cause.PROFILE_CHANGED)));
    // then still in review; the finding lapsed, still naming the W-9's name as what matched
    assertEquals(OfacStatus.IN_REVIEW, c.status());
    assertEquals(List.of(w9.lapsedBy(Finding.PROFILE_CHANGED)), c.evidence());
    assertEquals(ScreenedName.W9_INDIVIDUAL, c.evidence().get(0).nameSource());
  }

  @Test
  void aScreeningWithTheSameOutcomePublishesNothingButRecordsTheListVersion() {
    OfacCase state = matched();
    OfacDecision d =
        OfacDecider.decide(
            state, new Screen(Cause.LIST_VERSION, List.of(VOLKOV), "v2", "m1", Set.of()));
    assertNull(published(d));
    OfacCase after = OfacDecider.evolve(state, d);
    assertEquals("v2", after.listVersion());
    assertEquals(state.screeningVersion(), after.screeningVersion());
  }

  @Test
  void aNameChangeThatNoLongerMatchesKeepsTheStatusWithProfileChangedInTheEvidence() {
    StatusChanged c = published(OfacDecider.decide(matched(), screen(Cause.PROFILE_CHANGED)));
    assertEquals(OfacStatus.ID_VERIFICATION_REQUIRED, c.previous());
    assertEquals(OfacStatus.ID_VERIFICATION_REQUIRED, c.status());
    assertEquals(List.of(VOLKOV.lapsedBy(Finding.PROFILE_CHANGED)), c.evidence());
    assertEquals(2, c.screeningVersion(), "the case changed: a new version for the reviewer");
  }

  @Test
  void aNameChangeWithTheSameOutcomeIsStillANewVersionOfTheCase() {
    OfacCase state = inReview();
    StatusChanged c = published(OfacDecider.decide(state, screen(Cause.PROFILE_CHANGED, VOLKOV)));
    assertEquals(OfacStatus.IN_REVIEW, c.status());
    assertEquals(List.of(VOLKOV), c.evidence());
    assertEquals(state.screeningVersion() + 1, c.screeningVersion());
    OfacCase clean = given(screen(Cause.SCREENING));
    assertEquals(
        OfacStatus.UNFLAGGED,
        published(OfacDecider.decide(clean, screen(Cause.PROFILE_CHANGED))).status());
    assertNull(published(OfacDecider.decide(clean, screen(Cause.SCREENING))), "nothing changed");
  }

  @Test
  void aUserInReviewWhoNoLongerMatchesStaysInReview() {
    StatusChanged c = published(OfacDecider.decide(inReview(), screen(Cause.PROFILE_CHANGED)));
    assertEquals(OfacStatus.IN_REVIEW, c.status());
    assertEquals(Finding.PROFILE_CHANGED, c.evidence().get(0).lapsed());
  }

  @Test
  void aDateOfBirthSuppliedAfterAMatchIsRecordedWhenTheMatchGoes() {
    StatusChanged c =
        published(OfacDecider.decide(matched(), screen(Cause.DATE_OF_BIRTH_SUPPLIED)));
    assertEquals(OfacStatus.ID_VERIFICATION_REQUIRED, c.status());
    assertEquals(Finding.DATE_OF_BIRTH_SUPPLIED, c.evidence().get(0).lapsed());
  }

  @Test
  void aDateOfBirthSuppliedAfterAHintNeverLowersTheStatusByItself() {
    // given a match found on the name alone, whose evidence says a date of birth would help
    Finding hinted = VOLKOV.withHint(OfacHint.DATE_OF_BIRTH_WOULD_HELP);
    OfacCase required = given(screen(Cause.SCREENING, hinted));
    assertEquals(OfacHint.DATE_OF_BIRTH_WOULD_HELP, required.evidence().get(0).hint());
    OfacCase inReview = given(screen(Cause.SCREENING, hinted), new SubmitIdVerification("c1"));

    // when the profile gains a date of birth years apart, so that the entry no longer matches
    for (OfacCase before : List.of(required, inReview)) {
      StatusChanged c = published(OfacDecider.decide(before, screen(Cause.DATE_OF_BIRTH_SUPPLIED)));

      // then the status stays, and the finding stays for the reviewer, marked with what changed
      // and still saying what the match was found without
      assertEquals(before.status(), c.status());
      assertEquals(Finding.DATE_OF_BIRTH_SUPPLIED, c.evidence().get(0).lapsed());
      assertEquals(OfacHint.DATE_OF_BIRTH_WOULD_HELP, c.evidence().get(0).hint());
      assertEquals(before.screeningVersion() + 1, c.screeningVersion(), "a new version");
    }
  }

  @Test
  void aDateOfBirthThatAgreesKeepsTheMatchWithoutTheHintAndTheStatus() {
    // given a match found on the name alone, with the hint
    OfacCase required =
        given(screen(Cause.SCREENING, VOLKOV.withHint(OfacHint.DATE_OF_BIRTH_WOULD_HELP)));

    // when the date of birth supplied agrees: the same entry matches, now without the hint
    StatusChanged c =
        published(OfacDecider.decide(required, screen(Cause.DATE_OF_BIRTH_SUPPLIED, VOLKOV)));

    // then the status stays, the finding matches, and the hint is gone: the date was screened
    assertEquals(OfacStatus.ID_VERIFICATION_REQUIRED, c.status());
    assertNull(c.evidence().get(0).lapsed());
    assertNull(c.evidence().get(0).hint());
  }

  @Test
  void aListVersionThatDropsTheEntryKeepsTheStatusWithDelisted() {
    StatusChanged c =
        published(
            OfacDecider.decide(
                matched(), new Screen(Cause.LIST_VERSION, List.of(), "v2", "m1", Set.of(100))));
    assertEquals(OfacStatus.ID_VERIFICATION_REQUIRED, c.status());
    assertEquals(Finding.DELISTED, c.evidence().get(0).lapsed());
    assertEquals(StatusChanged.RESCREENING, c.reason());
    assertEquals("v2", c.listVersion());
  }

  @Test
  void eachStatusChangeNamesTheMatcherVersionThatFoundItsEvidence() {
    // given a user screened by matcher m1, with a match (its tokens told)
    StatusChanged first = published(OfacDecider.decide(null, screen(Cause.SCREENING, VOLKOV)));
    assertEquals("m1", first.matcherVersion());
    assertEquals(VOLKOV.tokens(), first.evidence().get(0).tokens());
    OfacCase state =
        OfacDecider.evolve(null, OfacDecider.decide(null, screen(Cause.SCREENING, VOLKOV)));
    assertEquals("m1", state.matcherVersion());
    // when matcher m2 re-screens and finds nothing: the change names m2, the lapsed finding keeps
    // the tokens that matched
    StatusChanged rescreened =
        published(OfacDecider.decide(state, screen(Cause.MATCHER_VERSION, "m2")));
    assertEquals("m2", rescreened.matcherVersion());
    assertEquals(VOLKOV.tokens(), rescreened.evidence().get(0).tokens());
    OfacCase after =
        OfacDecider.evolve(state, OfacDecider.decide(state, screen(Cause.MATCHER_VERSION, "m2")));
    assertEquals("m2", after.matcherVersion());
    // then an ID verification and a review name the matcher that last screened the case
    OfacDecision verified = OfacDecider.decide(after, new SubmitIdVerification("c1"));
    assertEquals("m2", published(verified).matcherVersion());
    OfacCase inReview = OfacDecider.evolve(after, verified);
    assertEquals(
        "m2", published(OfacDecider.decide(inReview, review(inReview, false))).matcherVersion());
  }

  @Test
  void aListVersionThatChangesTheEntryOrAMatcherVersionSaySo() {
    assertEquals(
        Finding.ENTRY_CHANGED,
        published(OfacDecider.decide(matched(), screen(Cause.LIST_VERSION)))
            .evidence()
            .get(0)
            .lapsed());
    assertEquals(
        Finding.MATCHER_CHANGED,
        published(OfacDecider.decide(matched(), screen(Cause.MATCHER_VERSION)))
            .evidence()
            .get(0)
            .lapsed());
  }

  @Test
  void aLapsedFindingThatMatchesAgainMatchesAgain() {
    OfacCase lapsed = given(screen(Cause.SCREENING, VOLKOV), screen(Cause.PROFILE_CHANGED));
    StatusChanged c = published(OfacDecider.decide(lapsed, screen(Cause.PROFILE_CHANGED, VOLKOV)));
    assertEquals(List.of(VOLKOV), c.evidence());
    assertEquals(OfacStatus.ID_VERIFICATION_REQUIRED, c.status());
  }

  @Test
  void aRescreeningAddsAMatchToAHeldCaseWithoutMovingItsStatus() {
    for (OfacCase state : List.of(matched(), inReview())) {
      StatusChanged c =
          published(OfacDecider.decide(state, screen(Cause.PROFILE_CHANGED, ZAFARANI)));
      assertEquals(state.status(), c.status());
      assertEquals(
          List.of(ZAFARANI, VOLKOV.lapsedBy(Finding.PROFILE_CHANGED)), c.evidence(), "both kept");
    }
  }

  @Test
  void aFlaggedUserStaysFlaggedWhateverTheScreeningFinds() {
    OfacCase flagged = given(screen(Cause.SCREENING, VOLKOV), new SubmitIdVerification("c1"));
    flagged = OfacDecider.evolve(flagged, OfacDecider.decide(flagged, review(flagged, false)));
    assertEquals(OfacStatus.FLAGGED, flagged.status());
    StatusChanged c = published(OfacDecider.decide(flagged, screen(Cause.PROFILE_CHANGED)));
    assertEquals(OfacStatus.FLAGGED, c.status());
    assertEquals(Finding.PROFILE_CHANGED, c.evidence().get(0).lapsed());
  }

  @Test
  void anUnflaggedUserWhoMatchesIsRaised() {
    OfacCase clean = given(screen(Cause.SCREENING));
    StatusChanged c = published(OfacDecider.decide(clean, screen(Cause.PROFILE_CHANGED, VOLKOV)));
    assertEquals(OfacStatus.UNFLAGGED, c.previous());
    assertEquals(OfacStatus.ID_VERIFICATION_REQUIRED, c.status());
  }

  @Test
  void idVerificationMovesIdVerificationRequiredToInReviewAndNothingElse() {
    StatusChanged c = published(OfacDecider.decide(matched(), new SubmitIdVerification("c1")));
    assertEquals(OfacStatus.IN_REVIEW, c.status());
    assertEquals(StatusChanged.ID_VERIFICATION, c.reason());
    assertEquals("c1", c.commandId());
    assertEquals(List.of(VOLKOV), c.evidence());

    Rejected twice = rejected(OfacDecider.decide(inReview(), new SubmitIdVerification("c2")));
    assertEquals(RejectionCode.CONFLICT, twice.code());
    assertEquals("ofac_status", twice.field());
    Rejected clean =
        rejected(OfacDecider.decide(given(screen(Cause.SCREENING)), new SubmitIdVerification("c")));
    assertTrue(clean.message().contains("unflagged"), clean.message());
  }

  @Test
  void anUnknownUserIsNotFound() {
    assertEquals(
        RejectionCode.NOT_FOUND,
        rejected(OfacDecider.decide(null, new SubmitIdVerification("c"))).code());
    assertEquals(
        RejectionCode.NOT_FOUND,
        rejected(OfacDecider.decide(null, new Review("r", true, null, "alice", "n"))).code());
  }

  @Test
  void aReviewerClearsOrConfirmsAUserInReview() {
    OfacCase state = inReview();
    StatusChanged cleared = published(OfacDecider.decide(state, review(state, true)));
    assertEquals(OfacStatus.UNFLAGGED, cleared.status());
    assertEquals("alice", cleared.reviewer());
    assertEquals(List.of(VOLKOV), cleared.evidence(), "the cleared evidence, for audit");
    StatusChanged confirmed = published(OfacDecider.decide(state, review(state, false)));
    assertEquals(OfacStatus.FLAGGED, confirmed.status());
  }

  @Test
  void aReviewOfAUserNotInReviewIsAConflict() {
    OfacCase state = matched();
    Rejected r = rejected(OfacDecider.decide(state, review(state, true)));
    assertEquals(RejectionCode.CONFLICT, r.code());
    assertEquals("ofac_status", r.field());
    assertTrue(r.message().contains("in_review"), r.message());
  }

  @Test
  void aDecisionOnAStaleScreeningVersionIsAConflict() {
    OfacCase seen = inReview();
    // the reviewer looked at the case; then the name changed and the match went
    OfacCase now =
        OfacDecider.evolve(seen, OfacDecider.decide(seen, screen(Cause.PROFILE_CHANGED)));
    Rejected r = rejected(OfacDecider.decide(now, review(seen, true)));
    assertEquals(RejectionCode.CONFLICT, r.code());
    assertEquals("screening_version", r.field());
    assertTrue(r.message().contains(Long.toString(now.screeningVersion())), r.message());
    assertInstanceOf(Accepted.class, OfacDecider.decide(now, review(now, true)));
  }

  @Test
  void twoReviewersDecidingTheSameVersionGiveOneDecisionAndOneConflict() {
    OfacCase state = inReview();
    Review alice = new Review("r1", true, state.screeningVersion(), "alice", "not him");
    Review bob = new Review("r2", false, state.screeningVersion(), "bob", "him");
    OfacDecision first = OfacDecider.decide(state, alice);
    OfacCase after = OfacDecider.evolve(state, first);
    assertEquals(OfacStatus.UNFLAGGED, after.status());
    assertEquals(RejectionCode.CONFLICT, rejected(OfacDecider.decide(after, bob)).code());
  }

  @Test
  void aReviewWithoutAVersionDecidesTheCurrentOne() {
    OfacCase state = inReview();
    assertEquals(
        OfacStatus.UNFLAGGED,
        published(OfacDecider.decide(state, new Review("r", true, null, "alice", "n"))).status());
  }

  @Test
  void aClearanceHoldsForTheSameEntryAndProfile() {
    OfacCase state = inReview();
    OfacCase cleared = OfacDecider.evolve(state, OfacDecider.decide(state, review(state, true)));
    assertEquals(List.of(), cleared.evidence());
    assertNull(published(OfacDecider.decide(cleared, screen(Cause.LIST_VERSION, VOLKOV))));
    assertNull(published(OfacDecider.decide(cleared, screen(Cause.SCREENING, VOLKOV))));
  }

  @Test
  void aClearedUserMatchingAnotherEntryIsRaisedAgain() {
    OfacCase state = inReview();
    OfacCase cleared = OfacDecider.evolve(state, OfacDecider.decide(state, review(state, true)));
    StatusChanged c =
        published(OfacDecider.decide(cleared, screen(Cause.LIST_VERSION, VOLKOV, ZAFARANI)));
    assertEquals(OfacStatus.ID_VERIFICATION_REQUIRED, c.status());
    assertEquals(List.of(ZAFARANI), c.evidence(), "the cleared entry is not raised again");
  }

  @Test
  void aClearedUserWhoseEntryChangedIsRaisedAgain() {
    OfacCase state = inReview();
    OfacCase cleared = OfacDecider.evolve(state, OfacDecider.decide(state, review(state, true)));
    Finding edited = finding(100, "f100-edited");
    StatusChanged c = published(OfacDecider.decide(cleared, screen(Cause.LIST_VERSION, edited)));
    assertEquals(OfacStatus.ID_VERIFICATION_REQUIRED, c.status());
  }

  @Test
  void aClearedUserWhoseNameChangedIsRaisedAgainOnTheSameEntry() {
    OfacCase state = inReview();
    OfacCase cleared = OfacDecider.evolve(state, OfacDecider.decide(state, review(state, true)));
    OfacDecision d = OfacDecider.decide(cleared, screen(Cause.PROFILE_CHANGED, VOLKOV));
    assertEquals(OfacStatus.ID_VERIFICATION_REQUIRED, published(d).status());
    assertEquals(Set.of(), OfacDecider.evolve(cleared, d).cleared().keySet());
  }

  @Test
  void aCaseKeepsAtMostTenFindingsThoseThatMatchFirst() {
    OfacCase state = matched();
    for (int i = 0; i < 6; i++) {
      Finding a = finding(1000 + 2 * i, "a" + i);
      Finding b = finding(1001 + 2 * i, "b" + i);
      state =
          OfacDecider.evolve(state, OfacDecider.decide(state, screen(Cause.PROFILE_CHANGED, a, b)));
    }
    assertEquals(OfacDecider.MAX_FINDINGS, state.evidence().size());
    assertTrue(state.evidence().get(0).matches());
    assertTrue(state.evidence().get(1).matches());
    assertEquals(OfacStatus.ID_VERIFICATION_REQUIRED, state.status());
  }

  @Test
  void statusesHaveOneWireName() {
    for (OfacStatus s : OfacStatus.values()) {
      assertEquals(s, OfacStatus.of(s.wire()));
    }
    assertEquals("id_verification_required", OfacStatus.ID_VERIFICATION_REQUIRED.wire());
    assertNull(OfacStatus.of(null));
  }
}
