package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.localstack.EmbeddedKafka;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.cli.DecisionsTool;
import io.userpipe.runtime.cli.RotateKeysTool;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.CompactedTopics;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.RewrapUserKey;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retiring a data key end to end (issue 17, keys by purpose; docs/OPERATIONS.md, "Rotating a data
 * key"): users made under {@code k1}, one of them deleted; the services restarted with {@code
 * k1,k2} and {@code k2} active; {@code bin/rotate-keys rewrap} re-wraps every live user's key in
 * its own task; {@code status} shows them all under {@code k2}; restarted with {@code k2} alone,
 * every live user reads back whole (profile, address, TIN's last four), and the deleted user stays
 * gone: no key of theirs came back on {@code users.keys}.
 */
class KeyRotationTest {

  /** Its own broker: every pipeline of the suite shares the key topics of the shared one. */
  private static EmbeddedKafka kafka;

  @org.junit.jupiter.api.BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start(SharedKafka.tempDir("kafka-rotation"));
  }

  @org.junit.jupiter.api.AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static final String K1 = DataKeys.generateEntry("k1");
  private static final String K2 = DataKeys.generateEntry("k2");
  private static final String[] TINS = {"521-43-8765", "521-43-8766", "521-43-8767"};

  private LocalPipeline pipeline;

  @AfterEach
  void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void everyLiveUserSurvivesRetiringTheirDataKeyAndADeletedOneIsNeverRevived() throws Exception {
    AppConfig base = TestPipelines.onOwnBroker(kafka);
    Path reference = base.stateDir().resolve("reference-tins.csv");
    Files.createDirectories(reference.getParent());
    Files.writeString(
        reference,
        "tin,type,name\n521438765,ssn,Ada Lovelace\n521438766,ssn,Mary Somerville\n"
            + "521438767,ssn,Caroline Herschel\n");
    // one configuration for the three runs: only DATA_KEYS and ACTIVE_DATA_KEY change
    AppConfig config =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, "0")
                .with(Projections.PLATFORMS, PlatformDirectory.entry("rotation-a", "rot", "kr"))
                .with("TIN_REFERENCE_FILE", reference.toString())
                .with("TIN_PROVIDER_LATENCY", "PT0S")
                .with("TIN_PROVIDER_SLOW_FRACTION", "0")
                .with("TIN_REQUEST_TIMEOUT", "PT2S")
                .with(DataKeys.DATA_KEYS, K1),
            base.stateDir());

    // 1. k1 alone: three people with their profiles, addresses and TINs; a fourth deleted
    pipeline = LocalPipeline.start(config);
    var api = client();
    String[][] people = {
      {"Ada", "Lovelace", "1990-12-10"},
      {"Mary", "Somerville", "1980-12-26"},
      {"Caroline", "Herschel", "1950-03-16"}
    };
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < people.length; i++) {
      String id = api.createUser(people[i][0], people[i][1], people[i][2]);
      var w9 =
          api.send(
              "PUT",
              "/v2/users/" + id + "/compliance",
              """
              {"w9":{"entity_type":"individual","first_name":"%s","last_name":"%s","tin":"%s",
                     "address":{"line_1":"%d Kew Road","city":"Richmond","postcode":"TW9 3AB",
                                "country":"GB"}}}"""
                  .formatted(people[i][0], people[i][1], TINS[i], i + 1));
      assertEquals(200, w9.status(), w9.raw().body());
      ids.add(id);
    }
    for (String id : ids) {
      api.awaitTaxIdVerification(
          id, "matched"); // tin-verifier opened each TIN check under the k1-wrapped key
    }
    String deleted = api.createUser("Gone", "Person", "1970-01-01");
    var deletion = api.send("DELETE", "/v2/users/" + deleted, null);
    assertEquals(200, deletion.status(), deletion.raw().body());
    assertEquals(404, api.get("/v2/users/" + deleted).status());
    pipeline.close();
    pipeline = null;

    // 2. k2 added and made active; the services restarted; the keys re-wrapped
    AppConfig rotating =
        config.with(DataKeys.DATA_KEYS, K1 + "," + K2).with(DataKeys.ACTIVE_DATA_KEY, "k2");
    pipeline = LocalPipeline.start(rotating);
    String before = tool(rotating, 0, "status");
    assertTrue(before.contains("k1: 3 users"), before);
    assertTrue(before.contains("3 live users' keys are under an older data key"), before);

    String rewrap = tool(rotating, 0, "rewrap", "--operator", "key-rotation-test");
    assertTrue(rewrap.contains("3 accepted, 0 deleted meanwhile, 0 failed"), rewrap);
    String after = tool(rotating, 0, "status");
    assertTrue(after.contains("k2: 3 users (active)"), after);
    assertFalse(after.contains("k1:"), after);
    assertTrue(after.contains("every live user's key is under k2"), after);
    // a second run finds nothing to do
    String again = tool(rotating, 0, "rewrap", "--operator", "key-rotation-test");
    assertTrue(again.contains("rewrap: 0 live users' keys are under an older data key"), again);
    // ofac-screener and tin-verifier re-wrapped this month's retention key when they started
    awaitRetentionKeysUnder(rotating, "k2");
    // a re-wrap asked for the deleted user (by hand, past the tool) is refused, and writes nothing
    assertEquals("not_found", rewrapByHand(rotating, deleted));
    // and no output of the tool holds key material
    for (String out : List.of(before, rewrap, after, again)) {
      assertFalse(out.contains(K1.substring(3)) || out.contains(K2.substring(3)), out);
    }
    pipeline.close();
    pipeline = null;

    // 3. k1 retired: every live user whole, the deleted one still gone
    AppConfig retired = config.with(DataKeys.DATA_KEYS, K2).with(DataKeys.ACTIVE_DATA_KEY, "k2");
    pipeline = LocalPipeline.start(retired);
    // the decision records still say whom they were about: their retention key opens under k2
    String decisions = decisions(retired, ids.get(0));
    assertTrue(decisions.contains("subject: Ada Lovelace, ssn ending 8765"), decisions);
    api = client();
    for (int i = 0; i < ids.size(); i++) {
      var read = api.get("/v2/users/" + ids.get(i));
      assertEquals(200, read.status(), read.raw().body());
      JsonNode user = read.json();
      assertEquals(people[i][0], user.get("first_name").asText());
      assertEquals(people[i][1], user.get("last_name").asText());
      assertEquals(people[i][2], user.get("date_of_birth").asText());
      assertEquals(
          people[i][0].toLowerCase(java.util.Locale.ROOT) + "@example.com",
          user.get("email").asText());
      assertEquals((i + 1) + " Kew Road", user.at("/address/line_1").asText());
      assertEquals(TINS[i].substring(7), user.at("/compliance/tin_last4").asText());
      assertEquals("matched", user.at("/compliance/w9/tax_id_verification").asText());
      // and it is still decided: an update opens and seals under the re-wrapped key
      var updated =
          api.send("PATCH", "/v2/users/" + ids.get(i), "{\"email\":\"new-" + i + "@example.com\"}");
      assertEquals(200, updated.status(), updated.raw().body());
      assertEquals("new-" + i + "@example.com", updated.json().get("email").asText());
      assertEquals(people[i][0], updated.json().get("first_name").asText());
    }
    assertEquals(404, api.get("/v2/users/" + deleted).status());
    List<ConsumerRecord<byte[], byte[]>> deletedKeys =
        TopicReader.readAll(kafka.bootstrapServers(), Topics.USER_KEYS.name()).stream()
            .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(deleted))
            .toList();
    assertNull(
        deletedKeys.get(deletedKeys.size() - 1).value(),
        "the deleted user's key was written again after its tombstone");
    assertEquals(
        1,
        deletedKeys.stream().filter(r -> r.value() != null).count(),
        "the deleted user's key was written once, at its creation");
    String status = tool(retired, 0, "status");
    assertTrue(status.contains("k2: 3 users (active)"), status);
    assertTrue(status.contains("when they start): k2="), status);
  }

  /** Sends one RewrapUserKey as an operator; the rejection code of its result (null: accepted). */
  private static String rewrapByHand(AppConfig config, String userId) throws Exception {
    var serdes = AvroSerdes.from(config);
    String commandId = "rewrap-by-hand-" + userId;
    try (var producer =
        new KafkaProducer<String, UserCommand>(
            ClientProps.durableWriter(config, "key-rotation-test"),
            new StringSerializer(),
            serdes.valueSerde(Topics.USER_COMMANDS).serializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.USER_COMMANDS.name(),
                  userId,
                  UserCommand.newBuilder()
                      .setCommandId(commandId)
                      .setPlatformId("operator:key-rotation-test")
                      .setIssuedAt(Instant.now())
                      .setUserId(userId)
                      .setPayload(new RewrapUserKey("key-rotation-test"))
                      .build()))
          .get();
    }
    for (int i = 0; i < 600; i++) {
      var found = new ArrayList<CommandResult>();
      CompactedTopics.readAllToEnd(
          config,
          serdes,
          Topics.COMMAND_RESULTS,
          (k, v) -> {
            if (commandId.equals(k) && v != null) {
              found.add(v);
            }
          });
      if (!found.isEmpty()) {
        assertEquals(1, found.size(), "one result per command");
        var r = found.get(0);
        return r.getOutcome() == CommandOutcome.ACCEPTED ? null : r.getRejection().getCode();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no result for " + commandId);
  }

  private static void awaitRetentionKeysUnder(AppConfig config, String dataKeyId) throws Exception {
    var serdes = AvroSerdes.from(config);
    java.util.Map<String, String> byKey = java.util.Map.of();
    for (int i = 0; i < 600; i++) {
      var now = new java.util.HashMap<String, String>();
      CompactedTopics.readToEnd(
          config,
          serdes,
          Topics.RETENTION_KEYS,
          partitions -> 0,
          (id, key) -> {
            if (key == null) {
              now.remove(id);
            } else {
              now.put(id, key.getWrappedKey().getKeyId());
            }
          });
      byKey = now;
      if (!now.isEmpty() && now.values().stream().allMatch(dataKeyId::equals)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("retention keys not all under " + dataKeyId + ": " + byKey);
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

  private ApiClient client() {
    return new ApiClient(pipeline.baseUrl(), "rot", "kr");
  }

  /** Runs bin/rotate-keys in-process; its standard output, after checking its exit status. */
  private static String tool(AppConfig config, int expectedExit, String... args) throws Exception {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int exit =
        new RotateKeysTool(
                config,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                "test-operator",
                Clock.systemUTC())
            .run(args);
    String printed =
        out.toString(StandardCharsets.UTF_8) + "\n" + err.toString(StandardCharsets.UTF_8);
    assertEquals(expectedExit, exit, printed);
    return printed;
  }
}
