package io.userpipe.runtime.testing;

import io.userpipe.runtime.kafka.Partitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic's committed records from the start, for assertions on what a run wrote. */
public final class TopicReader {

  private TopicReader() {}

  /** Everything committed on the topic now. */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
    return readUntil(bootstrap, topic, records -> true, Duration.ZERO);
  }

  /** Everything committed on the topic now, read with these client settings (a login). */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(
      Map<String, Object> clientProps, String topic) {
    return read(clientProps, topic, "read_committed", records -> true, Duration.ZERO);
  }

  /**
   * Every record the topic holds, aborted transactions included (read_uncommitted): what a scan for
   * leaked secrets must look at.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readEverything(
      String bootstrap, String topic) {
    return read(bootstrap, topic, "read_uncommitted", records -> true, Duration.ZERO);
  }

  /** As {@link #readEverything(String, String)}, with these client settings (a login). */
  public static List<ConsumerRecord<byte[], byte[]>> readEverything(
      Map<String, Object> clientProps, String topic) {
    return read(clientProps, topic, "read_uncommitted", records -> true, Duration.ZERO);
  }

  /**
   * Hands every record that all of the {@code topics} hold, aborted transactions included, to
   * {@code each}, read by one consumer and kept nowhere: a scan of every topic on a broker costs
   * one client, not one per topic, and no more memory than a poll. Returns how many were read.
   */
  public static long scanEverything(
      Map<String, Object> clientProps,
      Collection<String> topics,
      java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
    var props = new HashMap<String, Object>(clientProps);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions = Partitions.assignAll(consumer, topics.toArray(String[]::new));
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      long read = 0;
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (var r : consumer.poll(Duration.ofMillis(100))) {
          each.accept(r);
          read++;
        }
      }
      return read;
    }
  }

  /** Key, value and header values of a record. */
  public static List<byte[]> parts(ConsumerRecord<byte[], byte[]> record) {
    List<byte[]> parts = new ArrayList<>();
    if (record.key() != null) {
      parts.add(record.key());
    }
    if (record.value() != null) {
      parts.add(record.value());
    }
    for (var header : record.headers()) {
      if (header.value() != null) {
        parts.add(header.value());
      }
    }
    return parts;
  }

  /**
   * Polls the topic from the start until {@code done} holds for what was read, or the timeout; the
   * caller asserts on the result.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readUntil(
      String bootstrap,
      String topic,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
      Duration timeout) {
    return read(bootstrap, topic, "read_committed", done, timeout);
  }

  private static List<ConsumerRecord<byte[], byte[]>> read(
      String bootstrap,
      String topic,
      String isolation,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
      Duration timeout) {
    return read(SharedKafka.clientProps(bootstrap), topic, isolation, done, timeout);
  }

  private static List<ConsumerRecord<byte[], byte[]>> read(
      Map<String, Object> clientProps,
      String topic,
      String isolation,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
      Duration timeout) {
    var props = new HashMap<String, Object>(clientProps);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions = Partitions.assignAll(consumer, topic);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        var end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
          consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        if (done.test(records) || System.nanoTime() > deadline) {
          return records;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return records;
        }
      }
    }
  }
}
