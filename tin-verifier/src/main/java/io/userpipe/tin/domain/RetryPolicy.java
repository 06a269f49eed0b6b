package io.userpipe.tin.domain;

import java.time.Duration;

/**
 * When to ask the provider again: after a silence of {@code requestTimeout} (the request or its
 * answer was lost, or the worker is down), and after an error with exponential backoff capped at
 * {@code maxBackoff}. A verification is never dropped: it stays pending and is asked again.
 */
public record RetryPolicy(Duration requestTimeout, Duration firstBackoff, Duration maxBackoff) {

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(10));

  public Duration backoff(int attempt) {
    long factor = 1L << Math.min(Math.max(attempt - 1, 0), 20);
    Duration d = firstBackoff.multipliedBy(factor);
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }
}
