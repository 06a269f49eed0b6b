package io.userpipe.projections.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Given queued users, when an officer filters the queue, then which rows and in which order. */
class QueueFilterTest {

  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  private static QueueRow row(
      String id, String status, Duration waited, String list, String platform) {
    return new QueueRow(id, status, NOW.minus(waited), list, 2L, 1, "SDN", 0.9, List.of(platform));
  }

  private static QueueFilter filter(Map<String, List<String>> query) {
    return QueueFilter.of(Request.of("GET", "/console/queue", Map.of(), query, Map.of(), null));
  }

  private static List<String> ids(QueueFilter.QueuePage page) {
    return page.rows().stream().map(QueueRow::userId).toList();
  }

  private static final List<QueueRow> ROWS =
      List.of(
          row("u1", "in_review", Duration.ofMinutes(5), "v2", "p1"),
          row("u2", "in_review", Duration.ofDays(3), "v1", "p2"),
          row("u3", "id_verification_required", Duration.ofDays(40), "v1", "p1"),
          row("u4", "in_review", Duration.ofHours(2), "v1", "p1"));

  @Test
  void inReviewByDefaultOldestFirst() {
    assertEquals(List.of("u2", "u4", "u1"), ids(filter(Map.of()).apply(ROWS, NOW, false)));
  }

  @Test
  void filtersByStatusPlatformListVersionAndAge() {
    assertEquals(
        List.of("u3", "u2", "u4", "u1"),
        ids(filter(Map.of("status", List.of("any"))).apply(ROWS, NOW, false)));
    assertEquals(
        List.of("u3"),
        ids(filter(Map.of("status", List.of("id_verification_required"))).apply(ROWS, NOW, false)));
    assertEquals(
        List.of("u4", "u1"),
        ids(filter(Map.of("platform", List.of("p1"))).apply(ROWS, NOW, false)));
    assertEquals(
        List.of("u2", "u4"),
        ids(filter(Map.of("list_version", List.of("v1"))).apply(ROWS, NOW, false)));
    assertEquals(
        List.of("u2", "u4"),
        ids(filter(Map.of("min_age", List.of("PT1H"))).apply(ROWS, NOW, false)));
    assertEquals(
        List.of("u3"),
        ids(
            filter(Map.of("status", List.of("any"), "min_age", List.of("P30D")))
                .apply(ROWS, NOW, false)));
  }

  @Test
  void pagesOfTwentyFive() {
    List<QueueRow> many = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      many.add(row(String.format("u%02d", i), "in_review", Duration.ofMinutes(100 - i), "v1", "p"));
    }
    var third = filter(Map.of("page", List.of("3"))).apply(many, NOW, false);
    assertEquals(3, third.pages());
    assertEquals(60, third.total());
    assertEquals(
        List.of("u50", "u51", "u52", "u53", "u54", "u55", "u56", "u57", "u58", "u59"), ids(third));
    assertEquals(3, filter(Map.of("page", List.of("9"))).apply(many, NOW, false).page());
  }

  @Test
  void aChosenAgeIsNamedAsTheQueryNamedIt() {
    assertEquals("P1D", filter(Map.of("min_age", List.of("P1D"))).minAgeIso());
    assertEquals(null, filter(Map.of()).minAgeIso());
  }

  @Test
  void refusesWhatItDoesNotOffer() {
    assertThrows(ApiException.class, () -> filter(Map.of("status", List.of("flagged"))));
    assertThrows(ApiException.class, () -> filter(Map.of("min_age", List.of("PT5M"))));
    assertThrows(ApiException.class, () -> filter(Map.of("page", List.of("x"))));
  }
}
