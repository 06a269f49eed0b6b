package io.userpipe.schemas;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One topic of the catalogue: its name, the Java types of its key and value, and how the broker
 * keeps it. A rename or a retention change is a one-line change in {@link Topics}.
 *
 * @param name the topic name
 * @param keyType the key type ({@code String} keys are plain UTF-8, never registry-encoded)
 * @param valueType the value type: a generated Avro class, or {@code byte[]} for raw topics
 * @param partitions partition count at creation
 * @param cleanup {@code delete} or {@code compact}
 * @param retention how long records are kept; {@code null} means forever
 * @param writer the single service that writes it
 * @param readers who reads it
 * @param description one line for operators and the README
 * @param configs further topic configs (e.g. how soon compaction erases a deleted key)
 */
public record TopicSpec<K, V>(
    String name,
    Class<K> keyType,
    Class<V> valueType,
    int partitions,
    Cleanup cleanup,
    Duration retention,
    String writer,
    String readers,
    String description,
    Map<String, String> configs) {

  public TopicSpec(
      String name,
      Class<K> keyType,
      Class<V> valueType,
      int partitions,
      Cleanup cleanup,
      Duration retention,
      String writer,
      String readers,
      String description) {
    this(
        name,
        keyType,
        valueType,
        partitions,
        cleanup,
        retention,
        writer,
        readers,
        description,
        Map.of());
  }

  /** Kafka's {@code cleanup.policy}. */
  public enum Cleanup {
    DELETE("delete"),
    COMPACT("compact");

    private final String policy;

    Cleanup(String policy) {
      this.policy = policy;
    }

    public String policy() {
      return policy;
    }
  }

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    Objects.requireNonNull(cleanup, "cleanup");
    configs = Map.copyOf(configs);
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be positive: " + name);
    }
  }

  /** The value subject under Confluent's default TopicNameStrategy. */
  public String valueSubject() {
    return name + "-value";
  }

  /** The key subject under Confluent's default TopicNameStrategy. */
  public String keySubject() {
    return name + "-key";
  }

  /** Retention in milliseconds as Kafka's {@code retention.ms} wants it ({@code -1} = forever). */
  public long retentionMs() {
    return retention == null ? -1L : retention.toMillis();
  }
}
