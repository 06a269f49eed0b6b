package io.userpipe.projections.topology;

import io.userpipe.runtime.streams.DayWindows;
import io.userpipe.schemas.CommandResult;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Keeps the command-status view ({@link CommandStatuses}): files each command's result under the
 * day it was decided, unless that day already holds one for the command.
 */
final class RecordCommandStatus implements Processor<String, CommandResult, Void, Void> {

  private final ViewChanges changes;
  private WindowStore<String, CommandResult> statuses;

  RecordCommandStatus(ViewChanges changes) {
    this.changes = changes;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    statuses = context.getStateStore(ProjectionsTopology.COMMAND_STATUSES);
  }

  @Override
  public void process(Record<String, CommandResult> record) {
    CommandResult result = record.value();
    if (result == null) {
      return;
    }
    long day = DayWindows.dayOf(result.getDecidedAt());
    if (statuses.fetch(result.getCommandId(), day) == null) {
      statuses.put(result.getCommandId(), result, day);
      changes.command(result.getCommandId());
    }
  }
}
