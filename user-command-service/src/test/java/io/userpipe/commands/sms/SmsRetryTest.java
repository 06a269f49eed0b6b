package io.userpipe.commands.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SmsRetryTest {

  private final SmsRetry retry = SmsRetry.DEFAULT;

  @Test
  void followsTheProvidersRetryAfterUpToTheCap() {
    var random = new Random(1);
    assertEquals(Duration.ofSeconds(4), retry.delay(1, Optional.of(Duration.ofSeconds(4)), random));
    assertEquals(retry.cap(), retry.delay(1, Optional.of(Duration.ofHours(1)), random));
  }

  @Test
  void otherwiseBacksOffExponentiallyWithJitterUnderTheCap() {
    var random = new Random(1);
    for (int attempt = 1; attempt <= 10; attempt++) {
      long ceiling = Math.min(retry.cap().toMillis(), 500L << (attempt - 1));
      long wait = retry.delay(attempt, Optional.empty(), random).toMillis();
      assertTrue(wait >= ceiling / 2 && wait <= ceiling, attempt + ": " + wait);
    }
  }

  @Test
  void theWholeRetryFitsUnderTheRelaysPollInterval() {
    // every wait at the cap: still under the consumer's five minutes between polls
    assertTrue(retry.cap().multipliedBy(retry.attempts() - 1).compareTo(Duration.ofMinutes(3)) < 0);
  }
}
