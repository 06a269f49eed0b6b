package io.userpipe.runtime.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.DeadLetters;
import io.userpipe.runtime.registry.SchemaRegistryClient;
import io.userpipe.runtime.serde.RegistryAvroSerde;
import io.userpipe.runtime.serde.TransientSerdeException;
import io.userpipe.runtime.testing.Ports;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.TaskId;
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
            SharedKafka.clientProps(), new StringSerializer(), new StringSerializer())) {
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

  /** Wire-format bytes naming a schema id. */
  private static byte[] wireBytes(int id) {
    return new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id, 2};
  }

  /** What the serde throws reading {@code bytes} against the registry at {@code url}. */
  private static Exception readFailure(String url, byte[] bytes) {
    var serde = new RegistryAvroSerde<UserView>(new SchemaRegistryClient(url), false);
    try {
      serde.deserializer().deserialize("in", bytes);
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the serde read " + bytes.length + " bytes it should not");
  }

  private static String closedRegistry() {
    return "http://127.0.0.1:" + Ports.freeLoopbackPort() + "/apis/ccompat/v7";
  }

  /** The context of a record at in-0@7 of task 0_0. */
  private static final class StubContext implements ErrorHandlerContext {
    @Override
    public String topic() {
      return "in";
    }

    @Override
    public int partition() {
      return 0;
    }

    @Override
    public long offset() {
      return 7;
    }

    @Override
    public Headers headers() {
      return new RecordHeaders();
    }

    @Override
    public String processorNodeId() {
      return "source";
    }

    @Override
    public TaskId taskId() {
      return new TaskId(0, 0);
    }

    @Override
    public long timestamp() {
      return 0;
    }

    @Override
    public byte[] sourceRawKey() {
      return "key".getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] sourceRawValue() {
      return wireBytes(1);
    }
  }

  private static DeadLetterHandlers.OnDeserialization onDeserialization() {
    var handler = new DeadLetterHandlers.OnDeserialization();
    handler.configure(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "svc"));
    return handler;
  }

  private static DeadLetterHandlers.OnProduction onProduction() {
    var handler = new DeadLetterHandlers.OnProduction();
    handler.configure(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "svc"));
    return handler;
  }

  private static UserView view() {
    var at = java.time.Instant.parse("2026-11-24T12:00:00Z");
    return UserView.newBuilder()
        .setId("u1")
        .setVersion(1)
        .setPlatforms(List.of("p1"))
        .setStatus("unverified")
        .setCreated(at)
        .setUpdated(at)
        .build();
  }

  private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
    return new ConsumerRecord<>("in", 0, 7, "key".getBytes(StandardCharsets.UTF_8), value);
  }

  @Test
  void aRecordUnreadableBecauseTheRegistryIsDownFailsTheTaskAndIsNotDeadLettered() {
    Exception e = readFailure(closedRegistry(), wireBytes(1));
    assertTrue(e instanceof TransientSerdeException, e.toString());

    var response = onDeserialization().handleError(new StubContext(), record(wireBytes(1)), e);

    assertEquals(DeserializationExceptionHandler.Result.FAIL, response.result());
    assertEquals(List.of(), response.deadLetterQueueRecords());
  }

  @Test
  void aRecordNamingAnUnknownSchemaIdIsDeadLetteredAsBefore() {
    byte[] bytes = wireBytes(0x7f000003);
    Exception e = readFailure(SharedRegistry.url(), bytes);
    assertTrue(e instanceof SerializationException, e.toString());

    var response = onDeserialization().handleError(new StubContext(), record(bytes), e);

    assertEquals(DeserializationExceptionHandler.Result.RESUME, response.result());
    assertEquals(1, response.deadLetterQueueRecords().size());
    var dead = response.deadLetterQueueRecords().get(0);
    assertEquals(Topics.deadLetterName("in"), dead.topic());
    assertArrayEquals(bytes, dead.value());
  }

  @Test
  void anOutputUnwritableBecauseTheRegistryIsDownFailsTheTaskAndIsNotDeadLettered() {
    var serde = new RegistryAvroSerde<UserView>(new SchemaRegistryClient(closedRegistry()), false);
    Exception e = null;
    try {
      serde.serializer().serialize("out", view());
    } catch (RuntimeException thrown) {
      e = thrown;
    }
    assertTrue(e instanceof TransientSerdeException, String.valueOf(e));

    var response =
        onProduction()
            .handleSerializationError(
                new StubContext(),
                new ProducerRecord<>("out", "k", "v"),
                e,
                SerializationExceptionOrigin.VALUE);

    assertEquals(ProductionExceptionHandler.Result.FAIL, response.result());
    assertEquals(List.of(), response.deadLetterQueueRecords());
  }

  @Test
  void anOutputThatCanNeverBeWrittenIsDeadLetteredAsBefore() {
    var response =
        onProduction()
            .handleSerializationError(
                new StubContext(),
                new ProducerRecord<>("out", "k", "v"),
                new SerializationException("cannot write v"),
                SerializationExceptionOrigin.VALUE);

    assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
    assertEquals(1, response.deadLetterQueueRecords().size());
  }
}
