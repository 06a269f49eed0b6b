package io.userpipe.runtime.kafka;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.TopicSpec;
import io.userpipe.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.IntUnaryOperator;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a CLI (and a door's seeding) does with a one-partition compacted topic of settings: read it
 * whole, to decide a change against what it holds, then publish the change as one durable record. A
 * running door follows the same topic ({@link CompactedTopicFollower}).
 */
public final class CompactedTopics {

  private static final Duration POLL = Duration.ofMillis(500);

  private CompactedTopics() {}

  /**
   * Creates the topic (and its dead letters) if it is missing, then hands every record it holds now
   * to {@code apply}, in order (a null value is a tombstone).
   */
  public static <V> void readToEnd(
      AppConfig config,
      AvroSerdes serdes,
      TopicSpec<String, V> topic,
      BiConsumer<String, V> apply) {
    ensure(config, topic);
    readToEnd(config, serdes, topic, partitions -> 0, apply);
  }

  /**
   * Hands every record one partition of a topic holds now to {@code apply}, in order: the partition
   * {@code partitionOf} picks from the topic's partition count (a keyed topic: the partition of one
   * key).
   */
  public static <V> void readToEnd(
      AppConfig config,
      AvroSerdes serdes,
      TopicSpec<String, V> topic,
      IntUnaryOperator partitionOf,
      BiConsumer<String, V> apply) {
    try (var consumer =
        new KafkaConsumer<>(
            CompactedTopicFollower.readerProps(config),
            new StringDeserializer(),
            serdes.valueSerde(topic).deserializer())) {
      var partition =
          new TopicPartition(
              topic.name(), partitionOf.applyAsInt(consumer.partitionsFor(topic.name()).size()));
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (var r : consumer.poll(POLL)) {
          apply.accept(r.key(), r.value());
        }
      }
    }
  }

  /**
   * Hands every record every partition of a keyed compacted topic holds now to {@code apply}, in
   * order within each partition (a null value is a tombstone); the latest record of a key is its
   * partition's last.
   */
  public static <V> void readAllToEnd(
      AppConfig config,
      AvroSerdes serdes,
      TopicSpec<String, V> topic,
      BiConsumer<String, V> apply) {
    try (var consumer =
        new KafkaConsumer<>(
            CompactedTopicFollower.readerProps(config),
            new StringDeserializer(),
            serdes.valueSerde(topic).deserializer())) {
      var partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(topic.name(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (var r : consumer.poll(POLL)) {
          apply.accept(r.key(), r.value());
        }
      }
    }
  }

  /** Creates the topic and its dead letters if they are missing. */
  static void ensure(AppConfig config, TopicSpec<String, ?> topic) {
    TopicCreator.ensure(
        config,
        List.of(
            topic,
            Topics.all().stream()
                .filter(t -> t.name().equals(Topics.deadLetterName(topic.name())))
                .findFirst()
                .orElseThrow()));
  }

  /** Publishes one record and returns once the broker has it (all in-sync replicas). */
  public static <V> void publish(
      AppConfig config,
      AvroSerdes serdes,
      TopicSpec<String, V> topic,
      String clientId,
      String key,
      V value)
      throws InterruptedException, ExecutionException {
    try (var producer =
        new KafkaProducer<>(
            ClientProps.durableWriter(config, clientId),
            new StringSerializer(),
            serdes.valueSerde(topic).serializer())) {
      producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
    }
  }
}
