package io.userpipe.projections.topology;

import io.userpipe.schemas.CommandResult;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the command-status view: the one result of each command, by command id. */
final class RecordCommandStatus implements Processor<String, CommandResult, Void, Void> {

  private KeyValueStore<String, CommandResult> statuses;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    statuses = context.getStateStore(ProjectionsTopology.COMMAND_STATUS);
  }

  @Override
  public void process(Record<String, CommandResult> record) {
    if (record.value() != null) {
      statuses.put(record.value().getCommandId(), record.value());
    }
  }
}
