package io.userpipe.projections.topology;

import io.userpipe.schemas.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the command-status view: the one result of each command, by command id, for as long as the
 * results topic keeps it (7 days). A time index lets expired statuses go without scanning them all.
 */
final class RecordCommandStatus implements Processor<String, CommandResult, Void, Void> {

  static final Duration KEEP = Duration.ofDays(7);

  private KeyValueStore<String, CommandResult> statuses;
  private KeyValueStore<String, String> byTime;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    statuses = context.getStateStore(ProjectionsTopology.COMMAND_STATUS);
    byTime = context.getStateStore(ProjectionsTopology.COMMAND_STATUS_BY_TIME);
    context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, this::expire);
  }

  @Override
  public void process(Record<String, CommandResult> record) {
    CommandResult result = record.value();
    if (result == null || statuses.get(result.getCommandId()) != null) {
      return;
    }
    statuses.put(result.getCommandId(), result);
    byTime.put(
        timeKey(result.getDecidedAt().toEpochMilli(), result.getCommandId()),
        result.getCommandId());
  }

  private void expire(long now) {
    var expired = new ArrayList<KeyValue<String, String>>();
    try (var it = byTime.range(timeKey(0, ""), timeKey(now - KEEP.toMillis(), "~"))) {
      it.forEachRemaining(expired::add);
    }
    for (var entry : expired) {
      byTime.delete(entry.key);
      statuses.delete(entry.value);
    }
  }

  static String timeKey(long millis, String commandId) {
    return String.format(Locale.ROOT, "%019d|%s", millis, commandId);
  }
}
