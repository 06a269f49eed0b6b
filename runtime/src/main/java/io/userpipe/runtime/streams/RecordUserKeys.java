package io.userpipe.runtime.streams;

import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserKey;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Keeps each user's wrapped key (from {@code users.keys}) in a local store, beside whatever else
 * the task keeps of that user; a tombstone — the user was deleted — removes it. Every service that
 * opens personal data reads its keys this way.
 *
 * <p>The store is a copy of the compacted topic, so it has no changelog of its own: Kafka Streams
 * restores it from {@code users.keys} itself (a read-only store, KIP-813). That saves a changelog
 * write per user in each of the three services that keep one, and a deleted key lives on in no
 * second topic.
 */
public final class RecordUserKeys implements Processor<String, UserKey, Void, Void> {

  private final String storeName;
  private KeyValueStore<String, UserKey> keys;

  /**
   * Adds the store {@code storeName}, fed from {@code users.keys} by this processor, and connects
   * the {@code readers} (processors of the same topology) to it.
   */
  public static void addTo(
      Topology topology, AvroSerdes serdes, String storeName, String... readers) {
    topology.addReadOnlyStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(storeName),
                Serdes.String(),
                serdes.valueSerde(Topics.USER_KEYS))
            .withLoggingDisabled(),
        "user-keys-source",
        serdes.keySerde(Topics.USER_KEYS).deserializer(),
        serdes.valueSerde(Topics.USER_KEYS).deserializer(),
        Topics.USER_KEYS.name(),
        "record-user-key",
        () -> new RecordUserKeys(storeName));
    for (String reader : readers) {
      topology.connectProcessorAndStateStores(reader, storeName);
    }
  }

  private RecordUserKeys(String storeName) {
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
      keys.put(record.key(), record.value());
    }
  }
}
