package io.userpipe.runtime.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.registry.SchemaRegistryClient;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.serde.RegistryAvroSerde;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.SwitchableProxy;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

/**
 * A schema-registry outage loses nothing: records the service cannot decode while the registry is
 * down are retried, not dead-lettered, and each is processed exactly once when it is back. The
 * service reads the real registry through a loopback proxy the test switches to 503.
 */
class RegistryOutageTest {

  private static final int RECORDS = 20;

  @Test
  void recordsUnreadableDuringARegistryOutageAreProcessedOnceAfterItAndNeverDeadLettered()
      throws Exception {
    String prefix = SharedKafka.uniqueTopicPrefix();
    String in = prefix + "in";
    String out = prefix + "out";
    SharedKafka.createTopics(in, out);

    try (var proxy = new SwitchableProxy(SharedRegistry.url())) {
      var viaProxy = new RegistryAvroSerde<UserView>(new SchemaRegistryClient(proxy.url()), false);
      var builder = new StreamsBuilder();
      builder.stream(in, Consumed.with(Serdes.String(), viaProxy))
          .mapValues(view -> view.getId().toString())
          .to(out, Produced.with(Serdes.String(), Serdes.String()));

      try (var service =
          StreamsService.create(
              "outage-test",
              builder.build(),
              SharedKafka.config(),
              // The replaced thread's member stays in the group until its session ends, and the
              // replacement's join waits for that (42 s of this test at the default 45 s session;
              // docs/RELIABILITY.md, "Thread replacement"). What this test proves does not
              // depend on it, so it runs with a short session.
              Map.of(
                  StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                  10_000))) {
        service.start(Duration.ofSeconds(60));

        proxy.down();
        // written while the registry is up for the producer: valid records the service cannot
        // decode until its own registry calls succeed again
        produce(in);
        awaitTrue(() -> proxy.refused() > 0, Duration.ofSeconds(60));
        // keep the registry down across several failed attempts (client retries, and thread
        // replacements 1 s and 2 s after a failure: ReplaceBackoff). Longer only waits for a later
        // replacement's backoff (4 s, 8 s, ...) once the registry is back.
        Thread.sleep(6_000);
        proxy.up();

        var outputs =
            TopicReader.readUntil(
                SharedKafka.bootstrapServers(),
                out,
                r -> r.size() >= RECORDS,
                Duration.ofSeconds(180));
        List<String> expected = IntStream.range(0, RECORDS).mapToObj(i -> "u" + i).toList();
        assertEquals(
            expected,
            outputs.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList(),
            "every record processed exactly once, in order");
        assertEquals(
            List.of(),
            TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.deadLetterName(in)),
            "nothing dead-lettered");
        assertTrue(proxy.refused() > 0, "the service did meet the outage");
        awaitTrue(service::isHealthy, Duration.ofSeconds(60));
        assertTrue(service.isHealthy(), "state " + service.state());
      }
    }
  }

  private static void produce(String topic) {
    var serializer = new AvroSerdes(SharedRegistry.url()).value(UserView.class).serializer();
    var at = Instant.parse("2026-11-24T12:00:00Z");
    try (var producer =
        new KafkaProducer<>(SharedKafka.clientProps(), new StringSerializer(), serializer)) {
      for (int i = 0; i < RECORDS; i++) {
        var view =
            UserView.newBuilder()
                .setId("u" + i)
                .setVersion(1)
                .setPlatforms(List.of("p1"))
                .setStatus("unverified")
                .setCreated(at)
                .setUpdated(at)
                .build();
        producer.send(new ProducerRecord<>(topic, "k", view));
      }
      producer.flush();
    }
  }

  private static void awaitTrue(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }
}
