package io.userpipe.ofac.list;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListFreshnessTest {
  private static final Instant PUBLISHED = Instant.parse("2026-12-01T00:00:00Z");
  private static final ListInForce LIST = new ListInForce("abc123", "2026-12-01", PUBLISHED);
  private static final Duration MAX_AGE = Duration.ofDays(8);
  private static final Optional<String> SOURCE = Optional.of("https://ofac.example/exports/");

  @Test
  void aListPublishedWithinTheMaxAgeIsFresh() {
    var freshness =
        new ListFreshness(
            Optional.of(LIST), SOURCE, FetchStatus.none(), MAX_AGE, PUBLISHED.plusSeconds(3600));

    assertFalse(freshness.stale());
    assertEquals(Optional.of(Duration.ofHours(1)), freshness.age());
    assertNull(freshness.details().get("warning"));
    assertEquals(3600L, freshness.details().get("age_seconds"));
    assertEquals("2026-12-01T00:00:00Z", freshness.details().get("published_at"));
  }

  @Test
  void anOldListThatTheLastFetchFoundUnchangedIsNotStale() {
    Instant now = PUBLISHED.plus(Duration.ofDays(20));
    var fetches = FetchStatus.none().succeeded(now.minus(Duration.ofHours(5)));

    var freshness = new ListFreshness(Optional.of(LIST), SOURCE, fetches, MAX_AGE, now);

    assertFalse(freshness.stale());
    assertEquals(Optional.of(Duration.ofDays(20)), freshness.age(), "its age is still shown");
    assertEquals(Optional.of(Duration.ofHours(5)), freshness.confirmedAge());
  }

  @Test
  void aListUnconfirmedForLongerThanTheMaxAgeIsStaleAndTheWarningSaysWhyFetchesFailed() {
    Instant now = PUBLISHED.plus(Duration.ofDays(9));
    var fetches =
        FetchStatus.none()
            .succeeded(PUBLISHED.plusSeconds(60))
            .failed(now.minusSeconds(60), "cannot fetch: sdn.csv answered HTTP 503");

    var freshness = new ListFreshness(Optional.of(LIST), SOURCE, fetches, MAX_AGE, now);

    assertTrue(freshness.stale());
    String warning = freshness.warning().orElseThrow();
    assertTrue(warning.contains("abc123"), warning);
    assertTrue(warning.contains("OFAC_LIST_MAX_AGE PT192H"), warning);
    assertTrue(warning.contains("the last fetch failed: cannot fetch: sdn.csv answered HTTP 503"));
    assertEquals(warning, freshness.details().get("warning"));
    assertEquals(true, freshness.details().get("stale"));
    assertEquals(
        "cannot fetch: sdn.csv answered HTTP 503", freshness.details().get("last_fetch_error"));
    assertEquals(1L, freshness.details().get("fetch_failures"));
  }

  @Test
  void withoutAScheduledFetchAnOldListWarnsWhoeverLoadsListsByHand() {
    var freshness =
        new ListFreshness(
            Optional.of(LIST),
            Optional.empty(),
            FetchStatus.none(),
            MAX_AGE,
            PUBLISHED.plus(Duration.ofDays(8)).plusSeconds(1));

    assertTrue(freshness.stale());
    assertTrue(freshness.warning().orElseThrow().contains("no scheduled fetch runs"));
    assertNull(freshness.details().get("source"));
  }

  @Test
  void noListInForceYetIsNotAWarningButEveryFieldIsNamed() {
    var freshness =
        new ListFreshness(Optional.empty(), SOURCE, FetchStatus.none(), MAX_AGE, PUBLISHED);

    assertFalse(freshness.stale());
    assertTrue(freshness.details().containsKey("version"));
    assertNull(freshness.details().get("version"));
    assertNull(freshness.details().get("last_fetch_success_at"));
    assertEquals("PT192H", freshness.details().get("max_age"));
  }
}
