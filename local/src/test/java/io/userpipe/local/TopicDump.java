package io.userpipe.local;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Every committed record of a topic of the catalogue, decoded, read to the end as of now. */
final class TopicDump {

  private static final Duration LIMIT = Duration.ofMinutes(3);

  private TopicDump() {}

  static <K, V> List<ConsumerRecord<K, V>> readAll(AppConfig config, TopicSpec<K, V> topic) {
    var serdes = AvroSerdes.from(config);
    var props = new HashMap<String, Object>(TopicCreator.commonClientProps(config));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    List<ConsumerRecord<K, V>> out = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            props,
            serdes.keySerde(topic).deserializer(),
            serdes.valueSerde(topic).deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + LIMIT.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("reading " + topic.name() + " took longer than " + LIMIT);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** The evidence of the user's public compliance event that set the status, once written. */
  static Map<String, String> awaitComplianceEvidence(AppConfig config, String userId, String status)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      var found =
          readAll(config, io.userpipe.schemas.Topics.COMPLIANCE_EVENTS).stream()
              .map(ConsumerRecord::value)
              .filter(e -> e.getUserId().equals(userId) && status.equals(e.getNewStatus()))
              .findFirst();
      if (found.isPresent()) {
        return found.get().getEvidence();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no compliance event setting " + status + " for " + userId);
  }
}
