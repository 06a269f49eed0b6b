package io.userpipe.runtime.streams;

import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.TopicSpec;
import java.util.function.Consumer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * A store holding the latest value of each key of a topic; a tombstone removes the key. Services
 * keep users' wrapped keys ({@code users.keys}) and users' OFAC statuses ({@code ofac.screenings})
 * this way, beside whatever else their tasks keep of each user.
 *
 * <p>The store is a copy of the topic, so it has no changelog of its own: Kafka Streams restores it
 * from the topic itself (a read-only store, KIP-813). That saves a changelog write for every record
 * of the topic, and a deleted user key lives on in no second topic. The topic must keep the latest
 * record of every key (compacted, or kept forever), and its records are restored as they are, not
 * deserialized first.
 */
public final class LatestByKey<V> implements Processor<String, V, Void, Void> {

  private final String storeName;
  private final Consumer<String> written;
  private KeyValueStore<String, V> store;

  private LatestByKey(String storeName, Consumer<String> written) {
    this.storeName = storeName;
    this.written = written;
  }

  /**
   * Adds the store {@code storeName}, fed from {@code topic}, and connects the {@code readers}
   * (processors of the same topology) to it.
   */
  public static <V> void addTo(
      Topology topology,
      AvroSerdes serdes,
      TopicSpec<String, V> topic,
      String storeName,
      String... readers) {
    addTo(topology, serdes, topic, storeName, key -> {}, readers);
  }

  /** The same, telling {@code written} (on the stream thread) of every key it writes. */
  public static <V> void addTo(
      Topology topology,
      AvroSerdes serdes,
      TopicSpec<String, V> topic,
      String storeName,
      Consumer<String> written,
      String... readers) {
    addFolded(
        topology,
        serdes,
        topic,
        storeName,
        "record-" + storeName,
        () -> new LatestByKey<V>(storeName, written),
        readers);
  }

  /**
   * The same store, kept by the processor that folds the topic ({@code processor}, named {@code
   * processorName}) instead of by a processor of its own, because a topic feeds one source: the
   * fold reads the key's previous value, and then must write each record's value under its key, or
   * delete the key on a tombstone, exactly as restoring from the topic would. Other processors read
   * the topic through {@code storeName + "-source"}, and the fold's output goes to the children
   * added under {@code processorName}.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <V, KOut, VOut> void addFolded(
      Topology topology,
      AvroSerdes serdes,
      TopicSpec<String, V> topic,
      String storeName,
      String processorName,
      ProcessorSupplier<String, V, KOut, VOut> processor,
      String... readers) {
    if (topic.retention() != null && topic.cleanup() != TopicSpec.Cleanup.COMPACT) {
      throw new IllegalArgumentException(
          topic.name() + " forgets old records: it cannot be the only copy of " + storeName);
    }
    topology.addReadOnlyStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(storeName),
                serdes.keySerde(topic),
                serdes.valueSerde(topic))
            .withLoggingDisabled(),
        sourceOf(storeName),
        serdes.keySerde(topic).deserializer(),
        serdes.valueSerde(topic).deserializer(),
        topic.name(),
        processorName,
        (ProcessorSupplier) processor);
    for (String reader : readers) {
      topology.connectProcessorAndStateStores(reader, storeName);
    }
  }

  /** The name of the source node reading the topic of {@code storeName}. */
  public static String sourceOf(String storeName) {
    return storeName + "-source";
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, V> record) {
    if (record.value() == null) {
      store.delete(record.key());
    } else {
      store.put(record.key(), record.value());
    }
    written.accept(record.key());
  }
}
