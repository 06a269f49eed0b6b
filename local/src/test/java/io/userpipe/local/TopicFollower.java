package io.userpipe.local;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.Partitions;
import io.userpipe.runtime.kafka.TopicCreator;
import java.time.Duration;
import java.util.HashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads committed records of some topics from their start, a batch at a time, as they come: for a
 * test that waits for many records without holding them all at once.
 */
final class TopicFollower implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;

  private TopicFollower(KafkaConsumer<byte[], byte[]> consumer) {
    this.consumer = consumer;
  }

  static TopicFollower fromStart(AppConfig config, String... topics) {
    var props = new HashMap<String, Object>(TopicCreator.commonClientProps(config));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.seekToBeginning(Partitions.assignAll(consumer, topics));
    return new TopicFollower(consumer);
  }

  ConsumerRecords<byte[], byte[]> poll() {
    return consumer.poll(Duration.ofMillis(500));
  }

  @Override
  public void close() {
    consumer.close();
  }
}
