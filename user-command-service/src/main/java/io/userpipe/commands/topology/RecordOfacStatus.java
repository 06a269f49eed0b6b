package io.userpipe.commands.topology;

import io.userpipe.schemas.OfacStatusChanged;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each user's latest OFAC status beside the aggregate (ofac-screener decides it), so that a
 * flagged user's payout commands are refused.
 */
final class RecordOfacStatus implements Processor<String, OfacStatusChanged, Void, Void> {

  private KeyValueStore<String, String> statuses;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    statuses = context.getStateStore(UserCommandTopology.OFAC_STATUSES);
  }

  @Override
  public void process(Record<String, OfacStatusChanged> record) {
    OfacStatusChanged change = record.value();
    if (change != null) {
      statuses.put(change.getUserId(), change.getStatus());
    }
  }
}
