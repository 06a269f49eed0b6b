package io.userpipe.runtime.kafka;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.TopicSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows a one-partition compacted topic of settings (operators' credentials, platforms' keys)
 * from the beginning, outside any group, handing each record to {@code apply} on a thread of its
 * own: a change made with a CLI takes effect a moment later, without a restart. {@link #caughtUp()}
 * says whether the topic has been read up to where it ended when the follower started; until then a
 * door cannot tell a valid credential from an unknown one. An unreadable record is dead-lettered
 * ({@link ConsumerLoop}).
 *
 * @param <V> the topic's value; {@code null} for a tombstone
 */
public final class CompactedTopicFollower<V> implements AutoCloseable {

  private final AppConfig config;
  private final TopicSpec<String, V> topic;
  private final TopicPartition partition;
  private final BiConsumer<String, V> apply;
  private final KafkaConsumer<String, V> consumer;
  private final ConsumerLoop<String, V> loop;
  private volatile long startEnd = -1;
  private volatile boolean caughtUp;

  /**
   * @param name the follower's thread, and the client id of its dead-letter writer
   * @param apply takes each record's key and value (null for a tombstone), in topic order
   */
  public CompactedTopicFollower(
      AppConfig config,
      AvroSerdes serdes,
      TopicSpec<String, V> topic,
      String name,
      BiConsumer<String, V> apply) {
    this.config = config;
    this.topic = topic;
    this.partition = new TopicPartition(topic.name(), 0);
    this.apply = apply;
    this.consumer =
        new KafkaConsumer<>(
            readerProps(config), new StringDeserializer(), serdes.valueSerde(topic).deserializer());
    this.loop =
        new ConsumerLoop<>(
            name,
            consumer,
            topic.name(),
            this::follow,
            ConsumerLoop.Options.defaults()
                .pollTimeout(Duration.ofMillis(500))
                .assignFromBeginning(List.of(partition))
                .deadLetters(ClientProps.deadLetterWriter(config, name)));
  }

  /** A consumer's settings for reading such a topic whole: committed records, no group offsets. */
  public static java.util.Map<String, Object> readerProps(AppConfig config) {
    var props = new HashMap<String, Object>(TopicCreator.commonClientProps(config));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return props;
  }

  /**
   * Creates the topic if it is missing, notes where it ends now, then follows it on a thread of its
   * own.
   */
  public void start() {
    CompactedTopics.ensure(config, topic);
    long begin = consumer.beginningOffsets(List.of(partition)).get(partition);
    startEnd = consumer.endOffsets(List.of(partition)).get(partition);
    caughtUp = startEnd <= begin;
    loop.start();
  }

  /** Whether every record that existed when the follower started has been applied. */
  public boolean caughtUp() {
    return caughtUp;
  }

  /** "UP", or "DOWN: why" when the follower's loop has died or stopped polling. */
  public String health() {
    return loop.health();
  }

  private void follow(ConsumerRecords<String, V> records) {
    for (var r : records) {
      apply.accept(r.key(), r.value());
    }
    // called on the loop's thread, the one that owns the consumer
    if (!caughtUp && consumer.position(partition) >= startEnd) {
      caughtUp = true;
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}
