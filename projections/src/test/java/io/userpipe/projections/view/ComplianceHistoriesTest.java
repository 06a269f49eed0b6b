package io.userpipe.projections.view;

import static io.userpipe.projections.view.ComplianceHistoriesTestData.ofac;
import static io.userpipe.projections.view.ComplianceHistoriesTestData.tin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.userpipe.schemas.ComplianceChange;
import io.userpipe.schemas.ComplianceHistory;
import io.userpipe.schemas.OfacEvidence;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A person's compliance history: every OFAC and TIN change with what its event carried, in the
 * order they occurred whatever order a replay folds the two topics in, each change once.
 */
class ComplianceHistoriesTest {

  static final Instant T1 = Instant.parse("2026-03-01T10:00:00Z");
  static final Instant T2 = Instant.parse("2026-03-02T10:00:00Z");
  static final Instant T3 = Instant.parse("2026-03-04T10:00:00Z");

  @Test
  void recordsEachChangeWithItsEvidenceAndListVersion() {
    ComplianceHistory h =
        ComplianceHistories.fold(
            null, ofac("o1", null, "id_verification_required", "screening", T1));
    ComplianceChange c = h.getChanges().get(0);
    assertEquals("u1", h.getUserId());
    assertEquals(ComplianceHistories.OFAC, c.getKind());
    assertNull(c.getPreviousStatus());
    assertEquals("id_verification_required", c.getStatus());
    assertEquals("screening", c.getReason());
    assertEquals("list-v1", c.getListVersion());
    assertEquals("1", c.getMatcherVersion());
    assertEquals(22790, c.getEvidence().get(0).getEntNum());
    assertEquals(
        List.of("maduro", "moros", "nicolas"),
        c.getEvidence().get(0).getTokens().stream().map(t -> t.getListedToken()).toList());
    assertEquals(T1, c.getOccurredAt());
  }

  @Test
  void aChangeRecordedBeforeMatcherVersionsWasFoundByTheFirst() {
    assertEquals("1", ComplianceHistories.matcherVersion(null));
    assertEquals("2", ComplianceHistories.matcherVersion("2"));
  }

  @Test
  void evidenceSaysWhichNameMatchedAndEvidenceFromBeforeItWasTheProfiles() {
    var evidence = ofac("o1", null, "id_verification_required", "screening", T1).getEvidence();
    var w9 = OfacEvidence.newBuilder(evidence.get(0)).setNameSource("w9_business").build();
    var old = OfacEvidence.newBuilder(evidence.get(0)).setNameSource(null).build();
    assertEquals("w9_business", ComplianceHistories.nameSource(w9));
    assertEquals("profile", ComplianceHistories.nameSource(old));
  }

  @Test
  void ordersChangesByWhenTheyOccurredWhateverTheOrderTheyAreFoldedIn() {
    var o1 = ofac("o1", null, "id_verification_required", "screening", T1);
    var t1 = tin("t1", null, "pending", "submitted", T2);
    var o2 = ofac("o2", "id_verification_required", "in_review", "id_verification", T3);

    ComplianceHistory live =
        ComplianceHistories.fold(
            ComplianceHistories.fold(ComplianceHistories.fold(null, o1), t1), o2);
    ComplianceHistory replayed =
        ComplianceHistories.fold(
            ComplianceHistories.fold(ComplianceHistories.fold(null, o2), o1), t1);

    assertEquals(live, replayed);
    assertEquals(List.of("o1", "t1", "o2"), ids(live));
  }

  @Test
  void keepsAChangeFoldedTwiceOnce() {
    var o1 = ofac("o1", null, "unflagged", "screening", T1);
    ComplianceHistory once = ComplianceHistories.fold(null, o1);
    assertSame(once, ComplianceHistories.fold(once, o1));
  }

  @Test
  void recordsTinDecisionsWithTheirIrsCode() {
    ComplianceHistory h =
        ComplianceHistories.fold(
            ComplianceHistories.fold(null, tin("t1", null, "pending", "submitted", T1)),
            tin("t2", "pending", "matched", "tin and name match", T2));
    ComplianceChange decided = h.getChanges().get(1);
    assertEquals(ComplianceHistories.TIN, decided.getKind());
    assertEquals("matched", decided.getStatus());
    assertEquals(0, decided.getIrsCode());
    assertEquals("s1", decided.getSubmissionId());
  }

  private static List<String> ids(ComplianceHistory h) {
    return h.getChanges().stream().map(ComplianceChange::getEventId).toList();
  }
}
