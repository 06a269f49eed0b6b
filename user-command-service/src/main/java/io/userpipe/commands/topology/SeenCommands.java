package io.userpipe.commands.topology;

import io.userpipe.runtime.streams.DayWindows;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Command ids decided in the last day at least, so a command delivered twice (a producer's retry)
 * gets no second result and no second event.
 *
 * <p>Each id is filed under the day it was decided (the window that starts at that day's midnight,
 * UTC), so a look-up is two point reads, today's window and yesterday's, which RocksDB's bloom
 * filters answer without reading a block for an id never seen. (A range fetch over the window
 * store's segments opened an iterator on each: 14% of the service's thread in a profile.) An id is
 * remembered for 24 to 48 hours. The window store drops whole expired segments, so forgetting costs
 * no scans.
 */
final class SeenCommands {

  /** Long enough to keep yesterday's window whole: a window is kept while it is within this. */
  static final Duration RETENTION = DayWindows.DAY.multipliedBy(2).plusHours(1);

  private static final long DAY_MS = DayWindows.DAY_MS;
  private static final long CLOCK_SKEW_MS = Duration.ofMinutes(1).toMillis();

  private final WindowStore<String, Long> store;

  SeenCommands(WindowStore<String, Long> store) {
    this.store = store;
  }

  boolean seen(String commandId, Instant now) {
    long today = DayWindows.dayOf(now);
    return store.fetch(commandId, today) != null
        || store.fetch(commandId, today - DAY_MS) != null
        // a minute before midnight, an instance whose clock runs ahead may have filed it tomorrow
        || (now.toEpochMilli() >= today + DAY_MS - CLOCK_SKEW_MS
            && store.fetch(commandId, today + DAY_MS) != null);
  }

  void remember(String commandId, Instant now) {
    store.put(commandId, now.toEpochMilli(), DayWindows.dayOf(now));
  }
}
