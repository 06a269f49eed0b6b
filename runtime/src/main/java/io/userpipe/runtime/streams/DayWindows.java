package io.userpipe.runtime.streams;

import java.time.Duration;
import java.time.Instant;

/**
 * UTC days as the windows of a window store that files each key under the day of an instant (the
 * seen-command window, the command statuses): a look-up is a point read per day, and the store
 * forgets by dropping whole expired segments.
 */
public final class DayWindows {

  public static final Duration DAY = Duration.ofDays(1);

  /** A day in milliseconds, the unit of a window store's timestamps. */
  public static final long DAY_MS = DAY.toMillis();

  private DayWindows() {}

  /** The start of the UTC day holding {@code at}, in epoch milliseconds: its window's key time. */
  public static long dayOf(Instant at) {
    return Math.floorDiv(at.toEpochMilli(), DAY_MS) * DAY_MS;
  }
}
