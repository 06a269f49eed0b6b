package io.userpipe.tin.topology;

import java.time.Instant;
import java.util.Locale;

/**
 * Keys of the due-time index: zero-padded epoch millis then the user id, so a range is a time
 * range.
 */
final class DueIndex {

  private DueIndex() {}

  static String key(Instant at, String userId) {
    return String.format(Locale.ROOT, "%019d|%s", at.toEpochMilli(), userId);
  }

  static String from() {
    return String.format(Locale.ROOT, "%019d|", 0L);
  }

  static String upTo(long millis) {
    return String.format(Locale.ROOT, "%019d}", millis);
  }
}
