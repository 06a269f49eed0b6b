package io.userpipe.runtime.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.DeadLetters;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * A record that cannot be read, processed or written never stops a service: its bytes go to the
 * dead-letter topic with the error, and the next record goes through.
 */
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

  /** Writes strings, but cannot write "UNWRITABLE". */
  static final class PickySerializer implements Serializer<String> {
    @Override
    public byte[] serialize(String topic, String data) {
      if (data.equals("UNWRITABLE")) {
        throw new SerializationException("cannot write " + data);
      }
      return data.getBytes(StandardCharsets.UTF_8);
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
      context.forward(record.withValue(record.value().toUpperCase(Locale.ROOT)));
    }
  }

  @Test
  void unreadableFailingAndUnwritableRecordsAreDeadLetteredAndProcessingContinues() {
    String prefix = SharedKafka.uniqueTopicPrefix();
    String in = prefix + "in";
    String out = prefix + "out";
    // the dead-letter topic is not created here: the service creates it on start
    SharedKafka.createTopics(in, out);
    AppConfig config = SharedKafka.config();

    var topology = new Topology();
    topology
        .addSource("in", new StringDeserializer(), new PickyDeserializer(), in)
        .addProcessor("shout", Shout::new, "in")
        .addSink("out", out, new StringSerializer(), new PickySerializer(), "shout");

    try (var service = StreamsService.create("dlq-test", topology, config, Map.of())) {
      service.start(Duration.ofSeconds(60));
      produce(in, "key", "first", "poison", "boom", "unwritable", "last");

      var outputs =
          TopicReader.readUntil(
              SharedKafka.bootstrapServers(), out, r -> r.size() >= 2, Duration.ofSeconds(30));
      var dead =
          TopicReader.readUntil(
              SharedKafka.bootstrapServers(),
              Topics.deadLetterName(in),
              r -> r.size() >= 3,
              Duration.ofSeconds(30));

      assertEquals(List.of("FIRST", "LAST"), outputs.stream().map(r -> utf8(r.value())).toList());
      assertEquals(
          List.of("poison", "boom", "unwritable"),
          dead.stream().map(r -> utf8(r.value())).toList());
      assertTrue(dead.stream().allMatch(r -> utf8(r.key()).equals("key")), "keys kept untouched");

      ConsumerRecord<byte[], byte[]> poison = dead.get(0);
      assertEquals(SerializationException.class.getName(), header(poison, DeadLetters.ERROR_CLASS));
      assertTrue(header(poison, DeadLetters.ERROR_MESSAGE).contains("cannot read poison"));
      assertEquals(in, header(poison, DeadLetters.SOURCE_TOPIC));
      assertEquals("0", header(poison, DeadLetters.SOURCE_PARTITION));
      assertEquals("1", header(poison, DeadLetters.SOURCE_OFFSET));
      assertEquals(config.appIdPrefix() + "dlq-test", header(poison, DeadLetters.SERVICE));

      ConsumerRecord<byte[], byte[]> boom = dead.get(1);
      assertTrue(header(boom, DeadLetters.ERROR_MESSAGE).contains("processor bug on boom"));
      assertEquals("2", header(boom, DeadLetters.SOURCE_OFFSET));

      ConsumerRecord<byte[], byte[]> unwritable = dead.get(2);
      assertTrue(header(unwritable, DeadLetters.ERROR_MESSAGE).contains("cannot write UNWRITABLE"));
      assertEquals("3", header(unwritable, DeadLetters.SOURCE_OFFSET));

      assertTrue(service.isHealthy());
    }
  }

  @Test
  void aGlobalStoreSkipsAnUnreadableEntryAndKeepsServing() {
    String table = SharedKafka.uniqueTopicPrefix() + "global";
    SharedKafka.createTopics(table);
    // Only the update path is checked: a globalTable restores what exists at start-up as raw bytes,
    // without its deserializer (the topic is its changelog), so a poison entry present then is
    // found only when read from the store. That is Kafka's behaviour, not this handler's.
    var builder = new StreamsBuilder();
    builder.globalTable(
        table,
        Consumed.with(
            Serdes.String(), Serdes.serdeFrom(new StringSerializer(), new PickyDeserializer())),
        Materialized.as("entries"));

    try (var service =
        StreamsService.create("global-test", builder.build(), SharedKafka.config(), Map.of())) {
      service.start(Duration.ofSeconds(60));
      produce(table, "a", "alpha");
      produce(table, "c", "poison");
      produce(table, "d", "delta");

      ReadOnlyKeyValueStore<String, String> store =
          service
              .streams()
              .store(
                  StoreQueryParameters.fromNameAndType(
                      "entries", QueryableStoreTypes.<String, String>keyValueStore()));
      awaitEntry(store, "d");

      assertEquals("alpha", store.get("a"));
      assertEquals(null, store.get("c"));
      assertEquals("delta", store.get("d"));
      assertTrue(service.isHealthy());
    }
  }

  /** The global thread applies records asynchronously: poll the store until the last one is in. */
  private static void awaitEntry(ReadOnlyKeyValueStore<String, String> store, String key) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (store.get(key) == null && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
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
