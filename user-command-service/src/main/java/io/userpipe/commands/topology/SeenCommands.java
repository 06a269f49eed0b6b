package io.userpipe.commands.topology;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Command ids decided in the last day, so a command delivered twice (a producer's retry) gets no
 * second result and no second event. A window store drops whole expired segments, so the memory of
 * ids costs no scans.
 */
final class SeenCommands {

  static final Duration RETENTION = Duration.ofHours(24);

  private final WindowStore<String, Long> store;

  SeenCommands(WindowStore<String, Long> store) {
    this.store = store;
  }

  boolean seen(String commandId, Instant now) {
    // the epoch-millisecond overload: the Instant one formats two error-message prefixes per call
    long at = now.toEpochMilli();
    try (var hits = store.fetch(commandId, at - RETENTION.toMillis(), at + 60_000)) {
      return hits.hasNext();
    }
  }

  void remember(String commandId, Instant now) {
    store.put(commandId, now.toEpochMilli(), now.toEpochMilli());
  }
}
