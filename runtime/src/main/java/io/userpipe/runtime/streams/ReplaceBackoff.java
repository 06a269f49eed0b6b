package io.userpipe.runtime.streams;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The pause before a dead stream thread is replaced after a transient fault, so that a registry
 * outage does not spin threads hot: 1 s, doubling, capped at 30 s; back to 1 s once no failure was
 * seen for {@link #QUIET} (the service ran fine in between).
 */
final class ReplaceBackoff {

  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration CAP = Duration.ofSeconds(30);
  static final Duration QUIET = Duration.ofMinutes(2);

  private final LongSupplier nanoClock;
  private long lastFailureNanos;
  private boolean failedBefore;
  private Duration next = FIRST;
  private int attempt;

  ReplaceBackoff() {
    this(System::nanoTime);
  }

  ReplaceBackoff(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** The pause before this failure's replacement, and the attempt number it is. */
  synchronized Pause onFailure() {
    long now = nanoClock.getAsLong();
    if (failedBefore && now - lastFailureNanos > QUIET.toNanos()) {
      next = FIRST;
      attempt = 0;
    }
    failedBefore = true;
    lastFailureNanos = now;
    Duration pause = next;
    next = next.multipliedBy(2).compareTo(CAP) > 0 ? CAP : next.multipliedBy(2);
    attempt++;
    return new Pause(pause, attempt);
  }

  record Pause(Duration duration, int attempt) {}
}
