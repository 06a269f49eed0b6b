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
    try (var hits = store.fetch(commandId, now.minus(RETENTION), now.plusSeconds(60))) {
      return hits.hasNext();
    }
  }

  void remember(String commandId, Instant now) {
    store.put(commandId, now.toEpochMilli(), now.toEpochMilli());
  }
}
