package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.projections.Projections;
import io.userpipe.runtime.cli.DecisionsTool;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.RetentionKeys;
import io.userpipe.runtime.crypto.RetentionPolicy;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.retention.RetentionKeyFollower;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.DecisionSubject;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.RetentionKey;
import io.userpipe.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The retention of decision records end to end (docs/SECURITY.md, "Retention"): a person screened
 * and TIN-verified is erased when their last platform leaves, and their OFAC and TIN decision
 * records still say, to an operator ({@code bin/decisions}), whom they were about; a retention key
 * whose period and retention are over is tombstoned by the services, and its records can no longer
 * be opened.
 */
class DecisionRetentionTest {

  private static final String ADA_SSN = "521-43-8765";

  private static LocalPipeline pipeline;
  private static AppConfig config;
  private static ApiClient platform;

  @BeforeAll
  static void start() throws IOException {
    AppConfig base = SharedKafka.config();
    Path reference = base.stateDir().resolve("reference-tins.csv");
    Files.createDirectories(reference.getParent());
    Files.writeString(reference, "tin,type,name\n521438765,ssn,Ada Lovelace\n");
    config =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, "0")
                .with(Projections.PLATFORMS, PlatformDirectory.entry("retention-a", "ra", "ka"))
                .with("TIN_REFERENCE_FILE", reference.toString())
                .with("TIN_PROVIDER_LATENCY", "PT0S")
                .with("TIN_PROVIDER_SLOW_FRACTION", "0")
                .with("TIN_REQUEST_TIMEOUT", "PT2S")
                .with(RetentionKeyFollower.RETENTION_CHECK_INTERVAL, "PT1S"),
            base.stateDir());
    pipeline = TestPipelines.startOnSharedBroker(config);
    platform = new ApiClient(pipeline.baseUrl(), "ra", "ka");
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void anErasedPersonsDecisionRecordsStillSayWhomTheyWereAboutToAnOperator() {
    var created =
        platform.post(
            "/v2/users",
            """
            {"first_name":"Ada","last_name":"Lovelace","email":"ada-retained@example.com",
             "country_code":"1","phone_number":"%s","date_of_birth":"1990-12-10"}"""
                .formatted(TestPhones.next()));
    assertEquals(200, created.status(), created.raw().body());
    String id = created.json().get("id").asText();
    var w9 =
        platform.send(
            "PUT",
            "/v2/users/" + id + "/compliance",
            """
            {"w9":{"entity_type":"individual","first_name":"Ada","last_name":"Lovelace",
                   "tin":"%s","address":{"line_1":"12 St James's Square","city":"London",
                   "postcode":"SW1Y 4JH","country":"GB"}}}"""
                .formatted(ADA_SSN));
    assertEquals(200, w9.status(), w9.raw().body());
    // screened (unflagged, so erasure is not held) and the TIN matched
    String before =
        awaitDecisions(
            id,
            out ->
                out.contains("ofac null -> unflagged (screening)")
                    && out.contains("tin pending -> matched"));

    assertTrue(before.contains("subject: Ada Lovelace, born 1990-12-10"), before);
    assertTrue(before.contains("subject: Ada Lovelace, ssn ending 8765"), before);

    // the last (only) platform leaves: the person is erased
    var deleted = platform.send("DELETE", "/v2/users/" + id, null);
    assertEquals(200, deleted.status(), deleted.raw().body());
    assertEquals(404, platform.get("/v2/users/" + id).status());
    var lastKey =
        TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.USER_KEYS.name()).stream()
            .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(id))
            .reduce((a, b) -> b);
    assertTrue(
        lastKey.isPresent() && lastKey.get().value() == null, "the user key is not shredded");

    // the decision records are kept, and still name whom they decided about; never a whole TIN
    String after = decisions(id);
    assertTrue(after.contains("ofac null -> unflagged (screening)"), after);
    assertTrue(after.contains("subject: Ada Lovelace, born 1990-12-10"), after);
    assertTrue(after.contains("tin pending -> matched"), after);
    assertTrue(after.contains("subject: Ada Lovelace, ssn ending 8765"), after);
    assertFalse(after.contains("521438765") || after.contains(ADA_SSN), after);

    // and none of it travels or is logged in the clear
    Path log = TestLogs.thisFork();
    if (Files.exists(log)) {
      try {
        assertFalse(Files.readString(log).contains("Lovelace"), "the name is in the log");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    for (var topic :
        List.of(Topics.OFAC_SCREENINGS, Topics.TIN_VERIFICATIONS, Topics.RETENTION_KEYS)) {
      for (var r : TopicReader.readAll(SharedKafka.bootstrapServers(), topic.name())) {
        String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.ISO_8859_1);
        assertFalse(value.contains("Lovelace"), topic.name() + " has the name in the clear");
        assertFalse(value.contains("521438765"), topic.name() + " has the TIN in the clear");
      }
    }
  }

  @Test
  void aRetentionKeyPastItsPeriodIsShreddedAndItsRecordsCanNoLongerBeOpened() throws Exception {
    // a decision taken in January 2019, under that month's key: past its five years
    String userId = "erased-2019-" + UUID.randomUUID();
    var serdes = AvroSerdes.from(config);
    try (var keys =
            new KafkaProducer<String, RetentionKey>(
                ClientProps.durableWriter(config, "retention-test"),
                new StringSerializer(),
                serdes.valueSerde(Topics.RETENTION_KEYS).serializer());
        var screenings =
            new KafkaProducer<String, OfacStatusChanged>(
                ClientProps.durableWriter(config, "retention-test-screenings"),
                new StringSerializer(),
                serdes.valueSerde(Topics.OFAC_SCREENINGS).serializer())) {
      Instant january2019 = Instant.parse("2019-01-15T10:00:00Z");
      var ring =
          new RetentionKeys(
              DataKeys.from(config),
              RetentionPolicy.DEFAULT,
              Clock.fixed(january2019, ZoneOffset.UTC),
              k ->
                  keys.send(new ProducerRecord<>(Topics.RETENTION_KEYS.name(), k.getKeyId(), k))
                      .get());
      var sealed = ring.seal(userId, DecisionSubject.newBuilder().setName("Old Decision").build());
      screenings
          .send(
              new ProducerRecord<>(
                  Topics.OFAC_SCREENINGS.name(),
                  userId,
                  OfacStatusChanged.newBuilder()
                      .setEventId(userId + "/ofac")
                      .setUserId(userId)
                      .setStatus("unflagged")
                      .setReason("screening")
                      .setListVersion("2018-12-01")
                      .setSubject(sealed)
                      .setOccurredAt(january2019)
                      .build()))
          .get();

      // the services holding a ring tombstone it (checked every second here, hourly by default)
      String keyId = sealed.getKeyId();
      boolean tombstoned = false;
      for (int i = 0; i < 600 && !tombstoned; i++) {
        tombstoned =
            TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.RETENTION_KEYS.name())
                .stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(keyId))
                .reduce((a, b) -> b)
                .map(r -> r.value() == null)
                .orElse(false);
        if (!tombstoned) {
          Thread.sleep(100);
        }
      }
      assertTrue(tombstoned, "retention key " + keyId + " was never tombstoned");
      String out = decisions(userId);
      assertTrue(out.contains("ofac null -> unflagged (screening)"), out);
      assertTrue(out.contains("subject: shredded (retention key " + keyId), out);
      assertFalse(out.contains("Old Decision"), out);
    }
  }

  private static String decisions(String userId) {
    var bytes = new ByteArrayOutputStream();
    int status =
        new DecisionsTool(
                config, new PrintStream(bytes, true, StandardCharsets.UTF_8), Clock.systemUTC())
            .run(new String[] {userId});
    assertEquals(0, status);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String awaitDecisions(String userId, Predicate<String> done) {
    String out = "";
    for (int i = 0; i < 240; i++) {
      out = decisions(userId);
      if (done.test(out)) {
        return out;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("the decision records never came:\n" + out);
  }
}
