package io.userpipe.projections.topology;

import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.streams.DayWindows;
import io.userpipe.schemas.CommandResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The command-status view: the one result of each command, by command id, for 7 to 8 days (the
 * results topic keeps them 7).
 *
 * <p>Each result is filed under the UTC day it was decided, in a window store of one-day windows.
 * The store forgets by dropping whole segments once they fall out of its retention, so there is no
 * time index to keep (and write a changelog record for) and nothing to scan. A look-up reads the
 * windows from seven days ago to tomorrow (an instance whose clock runs ahead), earliest first: the
 * first result of a command is the one it has, even if a late repeat of the command was decided
 * again on another day.
 */
public final class CommandStatuses {

  /** How long a command's status is answered at least. */
  public static final Duration KEEP = Duration.ofDays(7);

  /** A day's window stays whole for {@link #KEEP} after the last result filed in it. */
  static final Duration RETENTION = KEEP.plus(DayWindows.DAY);

  private CommandStatuses() {}

  static StoreBuilder<WindowStore<String, CommandResult>> store(AvroSerdes serdes) {
    return Stores.windowStoreBuilder(
        Stores.persistentWindowStore(
            ProjectionsTopology.COMMAND_STATUSES, RETENTION, DayWindows.DAY, false),
        Serdes.String(),
        serdes.value(CommandResult.class));
  }

  /** The command's first result decided in the last {@link #KEEP} (its whole first day). */
  public static Optional<CommandResult> first(
      ReadOnlyWindowStore<String, CommandResult> store, String commandId, Instant now) {
    Instant from = Instant.ofEpochMilli(DayWindows.dayOf(now.minus(KEEP)));
    Instant to = Instant.ofEpochMilli(DayWindows.dayOf(now) + DayWindows.DAY_MS);
    try (var it = store.fetch(commandId, from, to)) {
      return it.hasNext() ? Optional.of(it.next().value) : Optional.empty();
    }
  }
}
