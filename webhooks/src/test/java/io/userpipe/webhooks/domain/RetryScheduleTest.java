package io.userpipe.webhooks.domain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  @Test
  void backsOffExponentiallyWithJitterAndGivesUpAfterAboutThreeDays() {
    var random = new Random(7);
    Duration since = Duration.ZERO;
    int attempts = 1;
    Duration previous = Duration.ZERO;
    while (true) {
      Optional<Duration> next = RetrySchedule.DEFAULT.next(attempts, since, random);
      if (next.isEmpty()) {
        break;
      }
      assertTrue(next.get().compareTo(Duration.ofHours(15)) <= 0, next.get().toString());
      if (attempts <= 5) {
        assertTrue(next.get().compareTo(previous) > 0, "grows: " + next.get());
      }
      previous = next.get();
      since = since.plus(next.get());
      attempts++;
    }
    assertTrue(since.compareTo(Duration.ofDays(2)) > 0, "tries for days: " + since);
    assertTrue(since.compareTo(Duration.ofDays(3)) <= 0, "not past three days: " + since);
    assertTrue(attempts >= 8 && attempts <= 16, "attempts: " + attempts);
  }

  @Test
  void theFirstRetryComesWithinSeconds() {
    var next = RetrySchedule.DEFAULT.next(1, Duration.ZERO, new Random(1)).orElseThrow();
    assertTrue(
        next.compareTo(Duration.ofSeconds(3)) >= 0 && next.compareTo(Duration.ofSeconds(7)) <= 0);
  }
}
