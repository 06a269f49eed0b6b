package io.userpipe.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.testing.SharedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ConsumerLoopTest {

  @Test
  void aBatchWhoseHandlerFailsIsReadAgainSoNothingIsSkipped() throws Exception {
    String topic = SharedKafka.uniqueTopicPrefix() + "loop";
    SharedKafka.createTopics(topic);
    var config = SharedKafka.config();
    List<String> handled = new CopyOnWriteArrayList<>();
    AtomicInteger failures = new AtomicInteger();
    var consumer =
        new KafkaConsumer<>(
            ClientProps.committedReader(config, "loop-test"),
            new StringDeserializer(),
            new StringDeserializer());
    try (var loop =
        new ConsumerLoop<>(
            "loop-test",
            consumer,
            topic,
            batch -> {
              if (failures.getAndIncrement() == 0) {
                throw new IllegalStateException("first attempt fails");
              }
              batch.forEach(r -> handled.add(r.value()));
            })) {
      loop.start();
      try (var producer =
          new KafkaProducer<>(
              Map.<String, Object>of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>(topic, "k", "a"));
        producer.send(new ProducerRecord<>(topic, "k", "b"));
        producer.flush();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (handled.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
    assertTrue(failures.get() >= 2, "the handler was not called again");
    assertEquals(List.of("a", "b"), handled);
  }
}
