package io.userpipe.runtime.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.TopicSpec;
import io.userpipe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** A poison record never stops a service: it is dead-lettered and the next record goes through. */
class DeadLetterHandlersTest {

  /** Reads strings, but cannot read the word "poison". */
  static final class PickyDeserializer implements Deserializer<String> {
    @Override
    public String deserialize(String topic, byte[] data) {
      String s = new String(data, StandardCharsets.UTF_8);
      if (s.equals("poison")) {
        throw new SerializationException("cannot read " + s);
      }
      return s;
    }
  }

  /** Upper-cases values, but throws on "boom". */
  static final class Shout implements Processor<String, String, String, String> {
    private ProcessorContext<String, String> context;

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.context = context;
    }

    @Override
    public void process(Record<String, String> record) {
      if (record.value().equals("boom")) {
        throw new IllegalStateException("processor bug on boom");
      }
      context.forward(record.withValue(record.value().toUpperCase(java.util.Locale.ROOT)));
    }
  }

  @Test
  void poisonAndFailingRecordsGoToTheDeadLetterTopicAndProcessingContinues() {
    String in = "dlq-in-" + UUID.randomUUID();
    String out = "dlq-out-" + UUID.randomUUID();
    AppConfig config = SharedKafka.config();
    TopicCreator.ensure(config, List.of(spec(in), spec(out), spec(Topics.deadLetterName(in))));

    var topology = new Topology();
    topology
        .addSource("in", new StringDeserializer(), new PickyDeserializer(), in)
        .addProcessor("shout", Shout::new, "in")
        .addSink("out", out, new StringSerializer(), new StringSerializer(), "shout");

    try (var service = StreamsService.create("dlq-test", topology, config, Map.of())) {
      service.start(Duration.ofSeconds(60));
      produce(in, "a", "first", "poison", "boom", "last");

      var outputs =
          TopicReader.readUntil(
              SharedKafka.bootstrapServers(), out, r -> r.size() >= 2, Duration.ofSeconds(30));
      assertEquals(List.of("FIRST", "LAST"), outputs.stream().map(r -> utf8(r.value())).toList());

      var dead =
          TopicReader.readUntil(
              SharedKafka.bootstrapServers(),
              Topics.deadLetterName(in),
              r -> r.size() >= 2,
              Duration.ofSeconds(30));
      assertEquals(List.of("poison", "boom"), dead.stream().map(r -> utf8(r.value())).toList());
      ConsumerRecord<byte[], byte[]> poison = dead.get(0);
      assertEquals(SerializationException.class.getName(), header(poison, DeadLetters.ERROR_CLASS));
      assertTrue(header(poison, DeadLetters.ERROR_MESSAGE).contains("cannot read poison"));
      assertEquals(in, header(poison, DeadLetters.SOURCE_TOPIC));
      assertEquals("1", header(poison, DeadLetters.SOURCE_OFFSET));
      assertEquals(config.appIdPrefix() + "dlq-test", header(poison, DeadLetters.SERVICE));
      assertTrue(header(dead.get(1), DeadLetters.ERROR_MESSAGE).contains("processor bug on boom"));
      assertTrue(service.isHealthy());
    }
  }

  @Test
  void refusesToWeakenExactlyOnce() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                StreamsService.properties(
                    "x",
                    SharedKafka.config(),
                    Map.of(
                        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)));
    assertTrue(e.getMessage().contains("exactly_once_v2"));
  }

  private static TopicSpec<String, String> spec(String name) {
    return new TopicSpec<>(
        name,
        String.class,
        String.class,
        1,
        TopicSpec.Cleanup.DELETE,
        null,
        "test",
        "test",
        "test");
  }

  private static void produce(String topic, String key, String... values) {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      for (String v : values) {
        producer.send(new ProducerRecord<>(topic, key, v));
      }
      producer.flush();
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return utf8(r.headers().lastHeader(name).value());
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
