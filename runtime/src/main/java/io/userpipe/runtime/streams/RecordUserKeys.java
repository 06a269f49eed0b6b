package io.userpipe.runtime.streams;

import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserKey;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Keeps each user's wrapped key (from {@code users.keys}) in a local store, beside whatever else
 * the task keeps of that user; a tombstone — the user was deleted — removes it. Every service that
 * opens personal data reads its keys this way.
 */
public final class RecordUserKeys implements Processor<String, UserKey, Void, Void> {

  private final String storeName;
  private KeyValueStore<String, EncryptedValue> keys;

  /**
   * The store of users' wrapped keys. Its changelog is compacted as fast as {@code users.keys}: a
   * deleted key must not outlive the deletion there either.
   */
  public static StoreBuilder<KeyValueStore<String, EncryptedValue>> store(
      String name, Serde<EncryptedValue> keySerde) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.String(), keySerde)
        .withLoggingEnabled(Topics.USER_KEYS.configs());
  }

  public RecordUserKeys(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    keys = context.getStateStore(storeName);
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
