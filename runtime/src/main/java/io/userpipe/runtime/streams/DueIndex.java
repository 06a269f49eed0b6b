package io.userpipe.runtime.streams;

import java.time.Instant;
import java.util.Locale;

/**
 * Keys of a due-time index store (the durable timers of tin-verifier and webhooks): zero-padded
 * epoch millis then the id of what is due, so a range is a time range.
 */
public final class DueIndex {

  private DueIndex() {}

  public static String key(Instant at, String id) {
    return String.format(Locale.ROOT, "%019d|%s", at.toEpochMilli(), id);
  }

  public static String from() {
    return String.format(Locale.ROOT, "%019d|", 0L);
  }

  public static String upTo(long millis) {
    return String.format(Locale.ROOT, "%019d}", millis);
  }
}
