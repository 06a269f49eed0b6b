package io.userpipe.ofac.list;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FetchStatusTest {
  private static final Duration EVERY = Duration.ofHours(6);
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void afterAGoodFetchTheNextIsTheFullIntervalLater() {
    FetchStatus status = FetchStatus.none().succeeded(T0);

    assertEquals(EVERY, status.nextDelay(EVERY));
    assertEquals(Optional.of(T0), status.lastSuccess());
  }

  @Test
  void failuresInARowAreRetriedSoonThenLessOftenButNeverRarerThanTheInterval() {
    FetchStatus status = FetchStatus.none().succeeded(T0);

    status = status.failed(T0.plusSeconds(10), "HTTP 503");
    assertEquals(Duration.ofMinutes(1), status.nextDelay(EVERY));
    status = status.failed(T0.plusSeconds(70), "HTTP 503");
    assertEquals(Duration.ofMinutes(2), status.nextDelay(EVERY));
    for (int i = 0; i < 20; i++) {
      status = status.failed(T0.plusSeconds(100 + i), "HTTP 503");
    }
    assertEquals(EVERY, status.nextDelay(EVERY));
    assertEquals(22, status.failures());
    assertEquals(Optional.of(T0), status.lastSuccess(), "the last good fetch is kept");
    assertEquals(Optional.of("HTTP 503"), status.lastError());
  }

  @Test
  void aGoodFetchClearsTheErrorAndTheBackOffButNotTheCountOfFailures() {
    FetchStatus status =
        FetchStatus.none().failed(T0, "unreachable").failed(T0.plusSeconds(60), "unreachable");

    status = status.succeeded(T0.plusSeconds(180));

    assertEquals(Optional.empty(), status.lastError());
    assertEquals(EVERY, status.nextDelay(EVERY));
    assertEquals(2, status.failures());
    assertEquals(Optional.of(T0.plusSeconds(180)), status.lastAttempt());
  }
}
