package io.userpipe.runtime.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

class StreamsServiceTest {

  @Test
  void reachesRunningAndWritesItsOutputInTransactions() throws Exception {
    String prefix = SharedKafka.uniqueTopicPrefix();
    String in = prefix + "in";
    String out = prefix + "out";
    SharedKafka.createTopics(in, out);

    try (var service =
        StreamsService.create("upper", upperCase(in, out), SharedKafka.config(), Map.of())) {
      service.start(Duration.ofSeconds(60));
      assertEquals(KafkaStreams.State.RUNNING, service.state());
      assertTrue(service.isHealthy());

      produce(in, "k", "hello");
      var outputs =
          TopicReader.readUntil(
              SharedKafka.bootstrapServers(), out, r -> !r.isEmpty(), Duration.ofSeconds(30));

      assertEquals(List.of("HELLO"), outputs.stream().map(r -> utf8(r.value())).toList());
      // exactly-once: the output was committed with a transaction marker, which takes an offset
      assertTrue(endOffset(out) > outputs.size(), "no transaction marker after the output");
    }
  }

  @Test
  void buildsItsStreamsConfigFromTheAppConfig() {
    AppConfig config =
        SharedKafka.config()
            .with(AppConfig.APPLICATION_SERVER, "127.0.0.1:7070")
            .with(AppConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081")
            .with(AppConfig.NUM_STANDBY_REPLICAS, "1");

    var props =
        StreamsService.properties(
            "svc", config, Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 250));

    assertEquals(config.appIdPrefix() + "svc", props.get(StreamsConfig.APPLICATION_ID_CONFIG));
    assertEquals(
        StreamsConfig.EXACTLY_ONCE_V2, props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    assertEquals(
        config.stateDir().resolve("svc").toString(), props.get(StreamsConfig.STATE_DIR_CONFIG));
    assertEquals("127.0.0.1:7070", props.get(StreamsConfig.APPLICATION_SERVER_CONFIG));
    assertEquals("http://127.0.0.1:8081", props.get("schema.registry.url"));
    assertEquals(1, props.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
    assertEquals(250, props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
    assertEquals(1, props.get(StreamsConfig.REPLICATION_FACTOR_CONFIG));
  }

  @Test
  void refusesToWeakenExactlyOnce() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                StreamsService.create(
                    "weak",
                    new Topology(),
                    SharedKafka.config(),
                    Map.of(
                        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)));
    assertTrue(e.getMessage().contains("exactly_once_v2"));
  }

  @Test
  void namesInternalRepartitionSourcesAsTheBrokerDoes() {
    var builder = new StreamsBuilder();
    builder.stream("orders", Consumed.with(Serdes.String(), Serdes.String()))
        .groupBy((k, v) -> v)
        .count()
        .toStream()
        .to("counts", Produced.with(Serdes.String(), Serdes.Long()));

    Set<String> sources = StreamsService.sourceTopics(builder.build(), "app");

    assertTrue(sources.contains("orders"), sources.toString());
    assertTrue(
        sources.stream().anyMatch(t -> t.startsWith("app-") && t.endsWith("-repartition")),
        sources.toString());
  }

  private static Topology upperCase(String in, String out) {
    var builder = new StreamsBuilder();
    builder.stream(in, Consumed.with(Serdes.String(), Serdes.String()))
        .mapValues(v -> v.toUpperCase(Locale.ROOT))
        .to(out, Produced.with(Serdes.String(), Serdes.String()));
    return builder.build();
  }

  private static void produce(String topic, String key, String value) throws Exception {
    try (var producer =
        new KafkaProducer<>(
            SharedKafka.clientProps(), new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  private static long endOffset(String topic) {
    try (var consumer =
        new KafkaConsumer<>(
            SharedKafka.clientProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partition = new TopicPartition(topic, 0);
      return consumer.endOffsets(List.of(partition)).get(partition);
    }
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
