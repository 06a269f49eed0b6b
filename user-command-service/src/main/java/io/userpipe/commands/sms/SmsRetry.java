package io.userpipe.commands.sms;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a message again after an error that can pass: the provider's {@code Retry-After} when
 * it gave one (capped), otherwise exponential backoff with full jitter. Bounded so that one message
 * holds the relay for about two minutes at most, under the consumer's poll interval.
 */
record SmsRetry(int attempts, Duration base, Duration cap) {

  static final SmsRetry DEFAULT = new SmsRetry(6, Duration.ofMillis(500), Duration.ofSeconds(30));

  /** The wait before attempt {@code attempt + 1}, after attempt {@code attempt} (from 1) failed. */
  Duration delay(int attempt, Optional<Duration> retryAfter, RandomGenerator random) {
    if (retryAfter.isPresent()) {
      return retryAfter.get().compareTo(cap) > 0 ? cap : retryAfter.get();
    }
    long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
    return Duration.ofMillis(ceiling / 2 + random.nextLong(ceiling / 2 + 1));
  }
}
