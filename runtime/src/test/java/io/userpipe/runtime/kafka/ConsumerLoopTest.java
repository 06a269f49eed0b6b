package io.userpipe.runtime.kafka;

import static io.userpipe.runtime.testing.TestRecords.bytesProducer;
import static io.userpipe.runtime.testing.TestRecords.header;
import static io.userpipe.runtime.testing.TestRecords.utf8;
import static io.userpipe.runtime.testing.TestRecords.waitUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.registry.SchemaRegistryClient;
import io.userpipe.runtime.serde.RegistryAvroSerde;
import io.userpipe.runtime.testing.Ports;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.Rejection;
import io.userpipe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
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
              SharedKafka.clientProps(), new StringSerializer(), new StringSerializer())) {
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

  @Test
  void aRecordThatCannotBeReadIsDeadLetteredAndTheLoopGoesOn() throws Exception {
    String topic = SharedKafka.uniqueTopicPrefix() + "poison";
    SharedKafka.createTopics(topic, Topics.deadLetterName(topic));
    var config = SharedKafka.config();
    var registryAvro =
        new RegistryAvroSerde<Rejection>(new SchemaRegistryClient(SharedRegistry.url()), false)
            .deserializer();
    Deserializer<String> values =
        (t, bytes) ->
            bytes.length > 0 && bytes[0] == 0
                ? String.valueOf(registryAvro.deserialize(t, bytes))
                : new String(bytes, StandardCharsets.UTF_8);
    List<String> handled = new CopyOnWriteArrayList<>();
    byte[] poison = {0, 0x7f, 0x12, 0x34, 0x56, 1, 2, 3}; // an id the registry never gave
    try (var loop =
        new ConsumerLoop<>(
            "poison-test",
            new KafkaConsumer<>(
                ClientProps.committedReader(config, "poison-test"),
                new StringDeserializer(),
                values),
            topic,
            batch -> batch.forEach(r -> handled.add(r.value())),
            ConsumerLoop.Options.defaults()
                .deadLetters(ClientProps.deadLetterWriter(config, "poison-test")))) {
      loop.start();
      try (var producer = bytesProducer()) {
        producer.send(new ProducerRecord<>(topic, utf8("k"), utf8("before"))).get();
        producer.send(new ProducerRecord<>(topic, utf8("k"), poison)).get();
        producer.send(new ProducerRecord<>(topic, utf8("k"), utf8("after"))).get();
      }
      waitUntil(() -> handled.size() >= 2);
      assertEquals(List.of("before", "after"), handled);
      assertEquals("UP", loop.health());
    }
    var letters = TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.deadLetterName(topic));
    assertEquals(1, letters.size());
    var letter = letters.get(0);
    assertArrayEquals(poison, letter.value());
    assertArrayEquals(utf8("k"), letter.key());
    assertEquals(topic, header(letter, DeadLetters.SOURCE_TOPIC));
    assertEquals("1", header(letter, DeadLetters.SOURCE_OFFSET));
    assertEquals("poison-test", header(letter, DeadLetters.SERVICE));
    assertTrue(
        header(letter, DeadLetters.ERROR_MESSAGE).contains("cannot resolve schema id"),
        header(letter, DeadLetters.ERROR_MESSAGE));
  }

  @Test
  void aTransientRegistryFaultIsRetriedAndNotDeadLettered() throws Exception {
    String topic = SharedKafka.uniqueTopicPrefix() + "transient";
    SharedKafka.createTopics(topic, Topics.deadLetterName(topic));
    var config = SharedKafka.config();
    var unreachable = new SchemaRegistryClient("http://127.0.0.1:" + Ports.freeLoopbackPort());
    AtomicInteger faults = new AtomicInteger();
    Deserializer<String> values =
        (t, bytes) -> {
          if (faults.incrementAndGet() <= 3) {
            try {
              unreachable.schemaById(1);
            } catch (RuntimeException e) {
              throw new SerializationException("cannot resolve schema id 1 on " + t, e);
            }
          }
          return new String(bytes, StandardCharsets.UTF_8);
        };
    List<String> handled = new CopyOnWriteArrayList<>();
    try (var loop =
        new ConsumerLoop<>(
            "transient-test",
            new KafkaConsumer<>(
                ClientProps.committedReader(config, "transient-test"),
                new StringDeserializer(),
                values),
            topic,
            batch -> batch.forEach(r -> handled.add(r.value())),
            ConsumerLoop.Options.defaults()
                .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
                .deadLetters(ClientProps.deadLetterWriter(config, "transient-test")))) {
      loop.start();
      try (var producer = bytesProducer()) {
        producer.send(new ProducerRecord<>(topic, utf8("k"), utf8("only"))).get();
      }
      waitUntil(() -> !handled.isEmpty());
    }
    assertEquals(List.of("only"), handled);
    assertTrue(faults.get() > 3, "the record was not read again after the faults");
    assertEquals(
        List.of(),
        TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.deadLetterName(topic)));
  }

  @Test
  void aLoopWhoseHandlerBlocksIsReportedDown() throws Exception {
    String topic = SharedKafka.uniqueTopicPrefix() + "blocked";
    SharedKafka.createTopics(topic);
    var config = SharedKafka.config();
    AtomicLong now = new AtomicLong();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (var loop =
        new ConsumerLoop<>(
            "blocked-test",
            new KafkaConsumer<>(
                ClientProps.committedReader(config, "blocked-test"),
                new StringDeserializer(),
                new StringDeserializer()),
            topic,
            batch -> {
              entered.countDown();
              release.await();
            },
            ConsumerLoop.Options.defaults()
                .pollTimeout(Duration.ofMillis(100))
                .nanoTime(now::get))) {
      loop.start();
      assertEquals("UP", loop.health());
      try (var producer = bytesProducer()) {
        producer.send(new ProducerRecord<>(topic, utf8("k"), utf8("stuck"))).get();
      }
      entered.await();
      assertEquals("UP", loop.health());
      now.addAndGet(Duration.ofMillis(301).toNanos());
      assertTrue(loop.health().startsWith("DOWN: no poll for 301 ms"), loop.health());
      release.countDown();
    }
  }

  @Test
  void aLoopWhoseThreadDiedIsReportedDown() throws Exception {
    String topic = SharedKafka.uniqueTopicPrefix() + "dead";
    SharedKafka.createTopics(topic);
    var config = SharedKafka.config();
    try (var loop =
        new ConsumerLoop<>(
            "dead-test",
            new KafkaConsumer<>(
                ClientProps.committedReader(config, "dead-test"),
                new StringDeserializer(),
                new StringDeserializer()),
            topic,
            batch -> {
              throw new AssertionError("the thread dies of this");
            })) {
      loop.start();
      try (var producer = bytesProducer()) {
        producer.send(new ProducerRecord<>(topic, utf8("k"), utf8("fatal"))).get();
      }
      waitUntil(() -> loop.health().startsWith("DOWN"));
      assertTrue(loop.health().contains("thread died"), loop.health());
      assertTrue(loop.health().contains("the thread dies of this"), loop.health());
    }
  }
}
