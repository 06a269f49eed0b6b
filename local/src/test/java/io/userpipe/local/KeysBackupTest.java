package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.localstack.EmbeddedKafka;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.cli.DecisionsTool;
import io.userpipe.runtime.cli.KeysBackupTool;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.RetentionKeys;
import io.userpipe.runtime.crypto.RetentionPolicy;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.kafka.CompactedTopics;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/backup-keys} end to end (docs/OPERATIONS.md, "Backing up and restoring keys"): people
 * with sealed data and a TIN decision, a backup, one person deleted after it, then both key topics
 * lost (deleted from the cluster, as an operator's mistake or a broken cluster loses them, not
 * tombstoned: a tombstone is a shredding and a restore honours it). The restore brings back every
 * surviving person and the decision records' subjects, and never the person deleted since. The
 * services start on fresh state directories (new hosts, which hold no copy of the old keys): before
 * the restore nobody whose key was lost can be read, after it everyone is, from the topic.
 */
class KeysBackupTest {

  /** Its own broker: every pipeline of the suite shares the key topics of the shared one. */
  private static EmbeddedKafka kafka;

  @org.junit.jupiter.api.BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start(SharedKafka.tempDir("kafka-backup"));
  }

  @org.junit.jupiter.api.AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static final String ADA_SSN = "521-43-8765";

  private LocalPipeline pipeline;

  @AfterEach
  void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void aRestoreBringsBackEverySurvivingPersonAndNeverOneDeletedAfterTheBackup() throws Exception {
    AppConfig base = TestPipelines.onOwnBroker(kafka);
    Path reference = base.stateDir().resolve("reference-tins.csv");
    Files.createDirectories(reference.getParent());
    Files.writeString(reference, "tin,type,name\n521438765,ssn,Ada Lovelace\n");
    AppConfig config =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, "0")
                .with(Projections.PLATFORMS, PlatformDirectory.entry("backup-a", "ba", "ka"))
                .with("TIN_REFERENCE_FILE", reference.toString())
                .with("TIN_PROVIDER_LATENCY", "PT0S")
                .with("TIN_PROVIDER_SLOW_FRACTION", "0")
                .with("TIN_REQUEST_TIMEOUT", "PT2S"),
            base.stateDir());
    pipeline = LocalPipeline.start(config);
    var api = new ApiClient(pipeline.baseUrl(), "ba", "ka");

    String ada = api.createUser("Ada", "Lovelace", "1990-12-10");
    String grace = api.createUser("Grace", "Hopper", "1906-12-09");
    String carol = api.createUser("Carol", "Shaw", "1955-01-01");
    var w9 =
        api.send(
            "PUT",
            "/v2/users/" + ada + "/compliance",
            """
            {"w9":{"entity_type":"individual","first_name":"Ada","last_name":"Lovelace",
                   "tin":"%s","address":{"line_1":"12 St James's Square","city":"London",
                   "postcode":"SW1Y 4JH","country":"GB"}}}"""
                .formatted(ADA_SSN));
    assertEquals(200, w9.status(), w9.raw().body());
    awaitDecisions(config, ada, "subject: Ada Lovelace, ssn ending 8765");
    // a retention key of January 2019 on the topic: past its five years, shredded by the services
    // within the hour (their next check); the backup still holds it
    String expiredKeyId = expiredRetentionKey(config);

    Path file = base.stateDir().resolve("keys.backup");
    String backup = run(config, "backup", file.toString());
    assertTrue(backup.contains("user keys and"), backup);
    assertTrue(backup.contains("useless") || backup.contains("open nothing without DATA_KEYS"));
    String written = Files.readString(file);
    assertTrue(written.startsWith("userpipe-keys-backup v1 taken="), written);
    assertFalse(written.contains("Lovelace"), "names are sealed, never in the file");

    // a restore while the key writers run is refused: an erasure could slip between check and write
    var refused = new ByteArrayOutputStream();
    assertEquals(1, tool(config, refused).run(new String[] {"restore", file.toString()}));
    assertTrue(refused.toString(StandardCharsets.UTF_8).contains("stop every instance"));

    // after the backup, the last platform leaves Carol: she is erased
    assertEquals(200, api.decided(api.send("DELETE", "/v2/users/" + carol, null)).status());
    assertEquals(404, api.get("/v2/users/" + carol).status());
    pipeline.close();
    pipeline = null;

    loseTopics(config, Topics.USER_KEYS.name(), Topics.RETENTION_KEYS.name());

    // the services run on through the loss (on new hosts: fresh state directories): they recreate
    // the topics, and a person created now is served, but nobody whose key was lost
    pipeline = LocalPipeline.start(fresh(config));
    api = new ApiClient(pipeline.baseUrl(), "ba", "ka");
    String dan = api.createUser("Dan", "Bricklin", "1951-07-16");
    assertEquals("Bricklin", awaitReadable(api, dan).json().get("last_name").asText());
    assertEquals(404, api.get("/v2/users/" + ada).status(), "Ada's key is lost");
    assertEquals(404, api.get("/v2/users/" + grace).status(), "Grace's key is lost");
    pipeline.close();
    pipeline = null;

    String restore = run(config, "restore", file.toString());
    assertTrue(restore.contains("restored users.keys " + ada + " "), restore);
    assertTrue(restore.contains("restored users.keys " + grace + " "), restore);
    assertTrue(restore.contains("skipped-as-erased users.keys " + carol + " "), restore);
    assertTrue(
        restore.contains("skipped-as-expired retention.keys " + expiredKeyId + " "), restore);
    assertTrue(restore.contains("restored retention.keys retention:"), restore);
    assertFalse(restore.contains("restored users.keys " + carol), restore);
    // a second restore finds everything in place and still does not revive Carol
    String again = run(config, "restore", file.toString());
    assertTrue(again.contains("skipped-as-present users.keys " + ada + " "), again);
    assertTrue(again.contains("skipped-as-erased users.keys " + carol + " "), again);
    assertTrue(again.contains("restored 0,"), again);
    assertTrue(keyRecords(carol).isEmpty(), "no key of Carol's on users.keys");

    // the services on fresh state directories: their copy of the keys comes from the topic only
    pipeline = LocalPipeline.start(fresh(config));
    api = new ApiClient(pipeline.baseUrl(), "ba", "ka");
    var adaRead = awaitReadable(api, ada);
    assertEquals("Ada", adaRead.json().get("first_name").asText(), adaRead.raw().body());
    assertEquals("Lovelace", adaRead.json().get("last_name").asText());
    assertEquals("1990-12-10", adaRead.json().get("date_of_birth").asText());
    assertEquals("8765", adaRead.json().at("/compliance/tin_last4").asText());
    var graceRead = awaitReadable(api, grace);
    assertEquals("Hopper", graceRead.json().get("last_name").asText(), graceRead.raw().body());
    assertEquals(404, api.get("/v2/users/" + carol).status());
    assertTrue(keyRecords(carol).isEmpty(), "no key of Carol's on users.keys");
    assertEquals("Bricklin", awaitReadable(api, dan).json().get("last_name").asText());
    // and the decision records still say whom they were about: their retention key is back
    String decisions = decisions(config, ada);
    assertTrue(decisions.contains("subject: Ada Lovelace, ssn ending 8765"), decisions);
  }

  /** The configuration on a new, empty state directory: a new host. */
  private static AppConfig fresh(AppConfig config) {
    return config.with(AppConfig.STATE_DIR, SharedKafka.tempDir("state").toString());
  }

  /** Reads a person until the restarted views and keys serve them; fails after two minutes. */
  private static ApiClient.Answer awaitReadable(ApiClient api, String id)
      throws InterruptedException {
    ApiClient.Answer answer = null;
    for (int i = 0; i < 240; i++) {
      answer = api.get("/v2/users/" + id);
      if (answer.status() == 200) {
        return answer;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        id + " never readable: " + answer.status() + " " + answer.raw().body());
  }

  /** Deletes the topics from the cluster and waits until they are gone. */
  private static void loseTopics(AppConfig config, String... topics) throws Exception {
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      admin.deleteTopics(List.of(topics)).all().get();
      for (int i = 0; i < 600; i++) {
        Set<String> names = admin.listTopics().names().get();
        if (List.of(topics).stream().noneMatch(names::contains)) {
          return;
        }
        Thread.sleep(100);
      }
      throw new AssertionError("the topics were never deleted");
    }
  }

  private static List<?> keyRecords(String userId) {
    return TopicReader.readAll(kafka.bootstrapServers(), Topics.USER_KEYS.name()).stream()
        .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(userId))
        .toList();
  }

  /** Writes January 2019's retention key, as the services wrote it then; answers its id. */
  private static String expiredRetentionKey(AppConfig config) {
    var serdes = AvroSerdes.from(config);
    var ring =
        new RetentionKeys(
            DataKeys.from(config),
            RetentionPolicy.DEFAULT,
            Clock.fixed(Instant.parse("2019-01-15T10:00:00Z"), ZoneOffset.UTC),
            k ->
                CompactedTopics.publish(
                    config, serdes, Topics.RETENTION_KEYS, "backup-test", k.getKeyId(), k));
    return ring.current().getKeyId();
  }

  private static KeysBackupTool tool(AppConfig config, ByteArrayOutputStream out) {
    return new KeysBackupTool(
        config, new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC());
  }

  private static String run(AppConfig config, String... args) throws Exception {
    var out = new ByteArrayOutputStream();
    int status = tool(config, out).run(args);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, printed);
    return printed;
  }

  private static String decisions(AppConfig config, String userId) {
    var bytes = new ByteArrayOutputStream();
    int status =
        new DecisionsTool(
                config, new PrintStream(bytes, true, StandardCharsets.UTF_8), Clock.systemUTC())
            .run(new String[] {userId});
    assertEquals(0, status);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static void awaitDecisions(AppConfig config, String userId, String expected)
      throws InterruptedException {
    String out = "";
    for (int i = 0; i < 240; i++) {
      out = decisions(config, userId);
      if (out.contains(expected)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the decision records never came:\n" + out);
  }
}
