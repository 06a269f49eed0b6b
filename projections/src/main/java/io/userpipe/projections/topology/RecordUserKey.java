package io.userpipe.projections.topology;

import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.UserKey;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps each user's wrapped key beside the view; a tombstone (deletion) removes it. */
final class RecordUserKey implements Processor<String, UserKey, Void, Void> {

  private KeyValueStore<String, EncryptedValue> keys;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    keys = context.getStateStore(ProjectionsTopology.USER_KEYS);
  }

  @Override
  public void process(Record<String, UserKey> record) {
    if (record.value() == null) {
      keys.delete(record.key());
    } else {
      keys.put(record.key(), record.value().getWrappedKey());
    }
  }
}
