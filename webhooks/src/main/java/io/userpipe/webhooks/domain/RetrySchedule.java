package io.userpipe.webhooks.domain;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: exponential backoff with jitter (5 s, then about 4 times
 * longer each time, capped at 12 hours), for up to {@link #GIVE_UP_AFTER} since the first attempt.
 * Past that the endpoint is disabled and its failed deliveries wait, visible, to be replayed.
 */
public record RetrySchedule(Duration first, int factor, Duration cap, Duration giveUpAfter) {

  public static final Duration GIVE_UP_AFTER = Duration.ofDays(3);
  public static final RetrySchedule DEFAULT =
      new RetrySchedule(Duration.ofSeconds(5), 4, Duration.ofHours(12), GIVE_UP_AFTER);

  /**
   * The wait after attempt {@code failed} (from 1) failed, {@code sinceFirst} after the first
   * attempt; empty once the next attempt would come after {@link #giveUpAfter}.
   */
  public Optional<Duration> next(int failed, Duration sinceFirst, RandomGenerator random) {
    double nominal = first.toMillis() * Math.pow(factor, Math.min(failed - 1, 30));
    long ceiling = (long) Math.min(cap.toMillis(), nominal);
    // jitter: between 3/4 and 5/4 of the nominal wait, so endpoints failing together spread out
    long wait = ceiling * 3 / 4 + random.nextLong(ceiling / 2 + 1);
    Duration delay = Duration.ofMillis(wait);
    return sinceFirst.plus(delay).compareTo(giveUpAfter) > 0
        ? Optional.empty()
        : Optional.of(delay);
  }
}
