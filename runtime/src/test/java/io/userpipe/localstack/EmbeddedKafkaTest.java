package io.userpipe.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.testing.BrokerProcess;
import io.userpipe.runtime.testing.Ports;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

  @Test
  void aProducedRecordCanBeConsumed() throws Exception {
    String topic = SharedKafka.uniqueTopicPrefix() + "round-trip";
    SharedKafka.createTopics(topic);

    produce(SharedKafka.bootstrapServers(), topic, "k", "hello");

    var records = TopicReader.readAll(SharedKafka.bootstrapServers(), topic);
    assertEquals(1, records.size());
    assertEquals("k", utf8(records.get(0).key()));
    assertEquals("hello", utf8(records.get(0).value()));
  }

  @Test
  void bindsOnlyToLoopback() {
    assertTrue(SharedKafka.bootstrapServers().startsWith("127.0.0.1:"));
  }

  @Test
  void aRestartOnTheSameDirectoryKeepsTopicsAndRecords() throws Exception {
    Path dir = SharedKafka.tempDir("restart");
    int port = Ports.freeLoopbackPort();
    try (var kafka = EmbeddedKafka.start(dir, port)) {
      createTopic(kafka.bootstrapServers(), "kept");
      produce(kafka.bootstrapServers(), "kept", "k", "before restart");
    }
    try (var kafka = EmbeddedKafka.start(dir, port)) {
      assertEquals("127.0.0.1:" + port, kafka.bootstrapServers());
      var records = TopicReader.readAll(kafka.bootstrapServers(), "kept");
      assertEquals(List.of("before restart"), records.stream().map(r -> utf8(r.value())).toList());
    }
  }

  @Test
  void runsAsItsOwnProcessAndShutsDownCleanlyOnSigterm() throws Exception {
    Path dir = SharedKafka.tempDir("process");
    int port = Ports.freeLoopbackPort();
    try (var broker = BrokerProcess.start(dir, port)) {
      assertEquals("127.0.0.1:" + port, broker.bootstrapServers());
      createTopic(broker.bootstrapServers(), "in-a-process");
      produce(broker.bootstrapServers(), "in-a-process", "k", "v");

      broker.stop();

      // Kafka leaves this marker only after a clean shutdown; a restart then skips log recovery
      assertTrue(Files.exists(dir.resolve("logs").resolve(".kafka_cleanshutdown")));
    }
    try (var kafka = EmbeddedKafka.start(dir, port)) {
      assertEquals(1, TopicReader.readAll(kafka.bootstrapServers(), "in-a-process").size());
    }
  }

  private static void createTopic(String bootstrap, String name) throws Exception {
    try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
    }
  }

  private static void produce(String bootstrap, String topic, String key, String value)
      throws Exception {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
