package io.userpipe.tin.worker;

import static io.userpipe.runtime.testing.TestRecords.bytesProducer;
import static io.userpipe.runtime.testing.TestRecords.header;
import static io.userpipe.runtime.testing.TestRecords.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.kafka.DeadLetters;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.TinCheckRequest;
import io.userpipe.schemas.Topics;
import io.userpipe.tin.provider.TinMatchAnswer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The worker on a real broker and registry: a record it cannot read does not stop it. */
class TinCheckWorkerTest {

  @Test
  void aPoisonRequestIsDeadLetteredAndTheNextRequestIsAnswered() throws Exception {
    DataKeys dataKeys = DataKeys.parse(DataKeys.generateEntry("k1"), null);
    AppConfig config =
        SharedKafka.config().with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url());
    TopicCreator.ensure(
        config, List.of(Topics.TIN_REQUESTS, Topics.TIN_REQUESTS_DLQ, Topics.TIN_RESPONSES));
    var serdes = AvroSerdes.from(config);
    String user = "u-" + UUID.randomUUID();
    byte[] poison = {0, 0x7d, 0x44, 0x55, 0x66, 7, 7, 7}; // a schema id the registry never gave
    var request =
        TinCheckRequest.newBuilder()
            .setSubmissionId("s-" + UUID.randomUUID())
            .setUserId(user)
            .setAttempt(1)
            .setSubmittedAt(Instant.now())
            .setCheck(dataKeys.seal(new byte[] {1, 2, 3}, "tin-check:other"))
            .build();
    try (var worker =
        new TinCheckWorker(
            config,
            serdes,
            dataKeys,
            match -> new TinMatchAnswer.Answered(0),
            Duration.ofSeconds(5),
            1)) {
      worker.start();
      long poisonOffset;
      try (var producer = bytesProducer()) {
        poisonOffset =
            producer
                .send(new ProducerRecord<>(Topics.TIN_REQUESTS.name(), utf8(user), poison))
                .get()
                .offset();
        producer
            .send(
                new ProducerRecord<>(
                    Topics.TIN_REQUESTS.name(),
                    utf8(user),
                    serdes
                        .valueSerde(Topics.TIN_REQUESTS)
                        .serializer()
                        .serialize(Topics.TIN_REQUESTS.name(), request)))
            .get();
      }
      var responses =
          TopicReader.readUntil(
              SharedKafka.bootstrapServers(),
              Topics.TIN_RESPONSES.name(),
              records -> records.stream().anyMatch(r -> Arrays.equals(utf8(user), r.key())),
              Duration.ofSeconds(60));
      assertTrue(
          responses.stream().anyMatch(r -> Arrays.equals(utf8(user), r.key())),
          "the request after the poison record was not answered");
      assertEquals("UP", worker.health());
      var letter =
          TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.TIN_REQUESTS_DLQ.name())
              .stream()
              .filter(r -> Topics.TIN_REQUESTS.name().equals(header(r, DeadLetters.SOURCE_TOPIC)))
              .filter(r -> Long.toString(poisonOffset).equals(header(r, DeadLetters.SOURCE_OFFSET)))
              .findFirst()
              .orElseThrow();
      assertArrayEquals(poison, letter.value());
      assertEquals("tin-worker", header(letter, DeadLetters.SERVICE));
    }
  }
}
