package io.userpipe.projections.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.projections.view.ComplianceHistories;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.Json;
import io.userpipe.schemas.ComplianceChange;
import io.userpipe.schemas.ComplianceHistory;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.TinVerification;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The history answers: a platform sees the changes from when it connected on (with the status in
 * force then), paged oldest first; as_of answers the statuses in force at an instant with the
 * change that set each; the JSON holds no platform, command or submission id, no reviewer's note.
 */
class ComplianceHistoryAnswersTest {

  static final Instant T0 = Instant.parse("2026-02-27T10:00:00Z");
  static final Instant T1 = Instant.parse("2026-03-01T10:00:00Z");
  static final Instant T2 = Instant.parse("2026-03-02T10:00:00Z");
  static final Instant T3 = Instant.parse("2026-03-04T10:00:00Z");
  static final Instant T4 = Instant.parse("2026-03-05T10:00:00Z");

  /** Screened, TIN submitted then matched, ID verified by a platform, cleared by a reviewer. */
  static ComplianceHistory history() {
    ComplianceHistory h = null;
    h = ComplianceHistories.fold(h, ofac("o1", null, "id_verification_required", "screening", T1));
    h = ComplianceHistories.fold(h, tin("t1", null, "pending", "submitted", T1.plusSeconds(1)));
    h = ComplianceHistories.fold(h, tin("t2", "pending", "matched", "tin and name match", T2));
    OfacStatusChanged idv =
        OfacStatusChanged.newBuilder(
                ofac("o2", "id_verification_required", "in_review", "id_verification", T3))
            .setCommandId("cmd-of-platform-b")
            .build();
    h = ComplianceHistories.fold(h, idv);
    OfacStatusChanged review =
        OfacStatusChanged.newBuilder(ofac("o3", "in_review", "unflagged", "review", T4))
            .setReviewer("alice")
            .setNote("passport seen: another person")
            .setEvidence(List.of())
            .build();
    return ComplianceHistories.fold(h, review);
  }

  static OfacStatusChanged ofac(String id, String from, String to, String reason, Instant at) {
    return io.userpipe.projections.view.ComplianceHistoriesTestData.ofac(id, from, to, reason, at);
  }

  static TinVerification tin(String id, String from, String to, String reason, Instant at) {
    return io.userpipe.projections.view.ComplianceHistoriesTestData.tin(id, from, to, reason, at);
  }

  @Test
  void aPlatformConnectedFromTheStartSeesEveryChangeOldestFirstWithItsActor() {
    var page =
        ComplianceHistoryAnswers.page(
            ComplianceHistoryAnswers.visible(history(), T0), 10, null, null);
    assertEquals(
        List.of("o1", "t1", "t2", "o2", "o3"),
        page.data().stream().map(ComplianceHistoryAnswers.Change::id).toList());
    assertFalse(page.hasMore());
    assertEquals(
        List.of("screening", "platform", "tin_matching", "platform", "reviewer"),
        page.data().stream().map(c -> c.actor().type()).toList());
    assertEquals("alice", page.data().get(4).actor().reviewer());
    assertEquals("list-v1", page.data().get(0).ofac().listVersion());
    assertEquals("1", page.data().get(0).ofac().matcherVersion());
    assertEquals(22790, page.data().get(0).ofac().matches().get(0).entNum());
    assertEquals(
        List.of(
            new ComplianceHistoryAnswers.Token("maduro", "exact", 1.0),
            new ComplianceHistoryAnswers.Token("moros", "typo", 0.89),
            new ComplianceHistoryAnswers.Token("nicolas", "exact", 1.0)),
        page.data().get(0).ofac().matches().get(0).tokens());
    assertEquals("profile", page.data().get(0).ofac().matches().get(0).nameSource());
    assertEquals(0, page.data().get(2).tin().irsCode());
    assertNull(page.data().get(2).ofac());
  }

  @Test
  void anOfacChangeShowsTheMatcherVersionThatFoundItAndOneRecordedBeforeVersionsTheFirst() {
    OfacStatusChanged later =
        OfacStatusChanged.newBuilder(ofac("o1", null, "id_verification_required", "screening", T1))
            .setMatcherVersion("2")
            .build();
    OfacStatusChanged before =
        OfacStatusChanged.newBuilder(ofac("o0", null, "unflagged", "screening", T0))
            .setMatcherVersion(null)
            .build();
    ComplianceHistory h = ComplianceHistories.fold(ComplianceHistories.fold(null, before), later);
    h = ComplianceHistories.fold(h, tin("t1", null, "pending", "submitted", T2));
    var page =
        ComplianceHistoryAnswers.page(ComplianceHistoryAnswers.visible(h, null), 10, null, null);
    assertEquals("1", page.data().get(0).ofac().matcherVersion());
    assertEquals("2", page.data().get(1).ofac().matcherVersion());
    assertNull(page.data().get(2).ofac(), "a TIN change names no matcher");
  }

  @Test
  void aPlatformConnectedLaterSeesTheStatusesInForceThenAndWhatFollowed() {
    // connected between the TIN's match and the ID verification
    List<ComplianceChange> seen = ComplianceHistoryAnswers.visible(history(), T2.plusSeconds(60));
    assertEquals(
        List.of("o1", "t2", "o2", "o3"), seen.stream().map(ComplianceChange::getEventId).toList());
  }

  @Test
  void pagesLikeTheOtherLists() {
    List<ComplianceChange> all = ComplianceHistoryAnswers.visible(history(), null);
    var first = ComplianceHistoryAnswers.page(all, 2, null, null);
    assertEquals(List.of("o1", "t1"), ids(first));
    assertTrue(first.hasMore());
    var second = ComplianceHistoryAnswers.page(all, 2, "t1", null);
    assertEquals(List.of("t2", "o2"), ids(second));
    assertTrue(second.hasMore());
    var last = ComplianceHistoryAnswers.page(all, 2, "o2", null);
    assertEquals(List.of("o3"), ids(last));
    assertFalse(last.hasMore());
    var back = ComplianceHistoryAnswers.page(all, 2, null, "o2");
    assertEquals(List.of("t1", "t2"), ids(back));
    assertTrue(back.hasMore());
    assertThrows(ApiException.class, () -> ComplianceHistoryAnswers.page(all, 2, "unknown", null));
  }

  @Test
  void asOfAnswersTheStatusesInForceWithTheChangeThatSetEach() {
    List<ComplianceChange> all = ComplianceHistoryAnswers.visible(history(), null);
    var before = ComplianceHistoryAnswers.asOf(all, T0, T0);
    assertNull(before.ofac());
    assertNull(before.tin());

    var third = ComplianceHistoryAnswers.asOf(all, Instant.parse("2026-03-03T00:00:00Z"), T0);
    assertEquals("id_verification_required", third.ofac().status());
    assertEquals("o1", third.ofac().setBy().id());
    assertEquals("list-v1", third.ofac().setBy().ofac().listVersion());
    assertEquals("matched", third.tin().status());
    assertEquals("t2", third.tin().setBy().id());

    var atTheReview = ComplianceHistoryAnswers.asOf(all, T4, T0);
    assertEquals("unflagged", atTheReview.ofac().status());
    assertEquals("alice", atTheReview.ofac().setBy().actor().reviewer());
  }

  @Test
  void theJsonIsSnakeCaseAndHoldsNoCommandSubmissionOrNote() throws Exception {
    String json =
        Json.mapper()
            .writeValueAsString(
                ComplianceHistoryAnswers.page(
                    ComplianceHistoryAnswers.visible(history(), null), 10, null, null));
    assertTrue(json.contains("\"has_more\":false"), json);
    assertTrue(json.contains("\"occurred_at\":\"2026-03-01T10:00:00Z\""), json);
    assertTrue(json.contains("\"list_version\":\"list-v1\""), json);
    assertTrue(json.contains("\"ent_num\":22790"), json);
    assertTrue(json.contains("\"matcher_version\":\"1\""), json);
    assertTrue(
        json.contains(
            "\"tokens\":[{\"listed_token\":\"maduro\",\"how\":\"exact\",\"similarity\":1.0}"),
        json);
    assertFalse(json.contains("cmd-of-platform-b"), json);
    assertFalse(json.contains("\"s1\""), json); // the submission id
    assertFalse(json.contains("passport"), json);
    assertFalse(json.contains("platform_id"), json);

    String asOf =
        Json.mapper()
            .writeValueAsString(
                ComplianceHistoryAnswers.asOf(
                    ComplianceHistoryAnswers.visible(history(), null), T4, T0));
    assertTrue(asOf.contains("\"as_of\":\"2026-03-05T10:00:00Z\""), asOf);
    assertTrue(asOf.contains("\"set_by\":{\"id\":\"o3\""), asOf);
  }

  private static List<String> ids(ComplianceHistoryAnswers.Page page) {
    return page.data().stream().map(ComplianceHistoryAnswers.Change::id).toList();
  }
}
