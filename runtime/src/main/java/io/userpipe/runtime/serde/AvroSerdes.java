package io.userpipe.runtime.serde;

import io.userpipe.schemas.TopicSpec;
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The serdes of the catalogue's topics, built from configuration (never static state): plain
 * strings and bytes as they are, Avro records through the configured registry serde — {@link
 * RegistryAvroSerde} by default, or any class with its contract, such as Confluent's {@code
 * SpecificAvroSerde}, named by {@code value.serde.class}.
 */
public final class AvroSerdes {

  public static final String VALUE_SERDE_CLASS = "value.serde.class";

  private final Map<String, Object> configs;
  private final Map<Class<?>, Serde<?>> valueSerdes = new ConcurrentHashMap<>();
  private final Map<Class<?>, Serde<?>> keySerdes = new ConcurrentHashMap<>();

  /** From {@code SCHEMA_REGISTRY_URL} and, optionally, {@code VALUE_SERDE_CLASS}. */
  public static AvroSerdes from(io.userpipe.runtime.config.AppConfig config) {
    var configs = new HashMap<String, Object>();
    configs.put(
        RegistryAvroSerde.REGISTRY_URL,
        config.require(io.userpipe.runtime.config.AppConfig.SCHEMA_REGISTRY_URL));
    config
        .find(io.userpipe.runtime.config.AppConfig.VALUE_SERDE_CLASS)
        .ifPresent(c -> configs.put(VALUE_SERDE_CLASS, c));
    return new AvroSerdes(configs);
  }

  public AvroSerdes(String schemaRegistryUrl) {
    this(Map.of(RegistryAvroSerde.REGISTRY_URL, schemaRegistryUrl));
  }

  public AvroSerdes(Map<String, ?> configs) {
    this.configs = new HashMap<>(configs);
    this.configs.putIfAbsent("specific.avro.reader", true);
  }

  /** The serde of an Avro type as a record value. */
  @SuppressWarnings("unchecked")
  public <T extends SpecificRecord> Serde<T> value(Class<T> type) {
    return (Serde<T>) valueSerdes.computeIfAbsent(type, t -> newSerde(false));
  }

  @SuppressWarnings("unchecked")
  public <K, V> Serde<K> keySerde(TopicSpec<K, V> topic) {
    return (Serde<K>) keySerdes.computeIfAbsent(topic.keyType(), t -> plainOrAvro(t, true));
  }

  @SuppressWarnings("unchecked")
  public <K, V> Serde<V> valueSerde(TopicSpec<K, V> topic) {
    return (Serde<V>) valueSerdes.computeIfAbsent(topic.valueType(), t -> plainOrAvro(t, false));
  }

  public <K, V> Consumed<K, V> consumed(TopicSpec<K, V> topic) {
    return Consumed.with(keySerde(topic), valueSerde(topic)).withName("from-" + topic.name());
  }

  public <K, V> Produced<K, V> produced(TopicSpec<K, V> topic) {
    return Produced.with(keySerde(topic), valueSerde(topic)).withName("to-" + topic.name());
  }

  /** Adds a source node reading the topic with its serdes. */
  public void addSource(Topology topology, String name, TopicSpec<?, ?> topic) {
    topology.addSource(
        name, keySerde(topic).deserializer(), valueSerde(topic).deserializer(), topic.name());
  }

  /**
   * Adds a sink node writing the topic with its serdes. Processors forward several value types to
   * their named sinks; each sink receives only its own, hence the widened value type.
   */
  @SuppressWarnings("unchecked")
  public <K, V> void addSink(
      Topology topology, String name, TopicSpec<K, V> topic, String... parents) {
    topology.addSink(
        name,
        topic.name(),
        keySerde(topic).serializer(),
        (Serializer<Object>) valueSerde(topic).serializer(),
        parents);
  }

  private Serde<?> plainOrAvro(Class<?> type, boolean isKey) {
    if (type == String.class) {
      return Serdes.String();
    }
    if (type == byte[].class) {
      return Serdes.ByteArray();
    }
    if (SpecificRecord.class.isAssignableFrom(type)) {
      return newSerde(isKey);
    }
    throw new IllegalArgumentException("no serde for " + type.getName());
  }

  private Serde<?> newSerde(boolean isKey) {
    String className =
        String.valueOf(configs.getOrDefault(VALUE_SERDE_CLASS, RegistryAvroSerde.class.getName()));
    try {
      Serde<?> serde = (Serde<?>) Class.forName(className).getDeclaredConstructor().newInstance();
      serde.configure(configs, isKey);
      return serde;
    } catch (ClassNotFoundException
        | NoSuchMethodException
        | InstantiationException
        | IllegalAccessException
        | InvocationTargetException
        | ClassCastException e) {
      throw new IllegalStateException(
          VALUE_SERDE_CLASS + " " + className + " is not a usable Serde: " + e, e);
    }
  }
}
