package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.commands.UserCommandService;
import io.userpipe.localstack.EmbeddedKafka;
import io.userpipe.localstack.LocalSchemaRegistry;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.SecretHasher;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.registry.SchemaRegistryClient;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * An in-place upgrade from the previous release: a fresh broker and registry are given everything
 * the previous version's pipeline left on its cluster (the fixture: topics, Streams changelogs and
 * repartition topics, schemas, consumer groups' offsets, its secrets), and this version's pipeline
 * starts over it with empty state directories. Every person reads back as before for the platforms
 * that had them, a platform that had a person is connected, the deleted person stays gone, new
 * commands work on old people, nothing is dead-lettered and nothing is decided twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeTest {

  static final String FIXTURE = "/upgrade/fixture-3a83dac.jsonl.gz";

  private static UpgradeFixture fixture;
  private static UpgradeFixture.Restored restored;
  private static EmbeddedKafka kafka;
  private static LocalSchemaRegistry registry;
  private static AppConfig config;
  private static LocalPipeline pipeline;
  private static Path outbox;
  private static final Map<String, ApiClient> platforms = new HashMap<>();
  private static final Map<String, String> incompatible = new TreeMap<>();
  private static final Set<String> commandedAfterUpgrade = new HashSet<>();

  @BeforeAll
  static void start() throws Exception {
    fixture = UpgradeFixture.read(FIXTURE);
    Path dir = SharedKafka.tempDir("upgrade");
    kafka = EmbeddedKafka.start(dir.resolve("kafka"));
    registry = LocalSchemaRegistry.start(dir.resolve("registry"));
    // a registry that has seen another subject first hands out other ids than the old one did
    new SchemaRegistryClient(registry.url())
        .register(
            "unrelated-value", Schema.createRecord("Unrelated", null, "test", false, List.of()));
    restored = fixture.restore(kafka.bootstrapServers(), registry.url());
    checkNewSchemas(new SchemaRegistryClient(registry.url()));

    StringBuilder directory = new StringBuilder();
    for (JsonNode p : fixture.meta.get("platforms")) {
      directory
          .append(
              PlatformDirectory.entry(
                  p.get("id").asText(), p.get("client_id").asText(), p.get("api_key").asText()))
          .append(',');
    }
    directory.append(PlatformDirectory.entry("upgrade-c", "client-c", "key-c"));
    Path state = dir.resolve("state");
    outbox = state.resolve("sms.txt");
    config =
        TestPipelines.withLocalDefaults(
            AppConfig.of(
                    Map.of(
                        AppConfig.KAFKA_BOOTSTRAP_SERVERS,
                        kafka.bootstrapServers(),
                        AppConfig.STATE_DIR,
                        state.toString(),
                        AppConfig.APP_ID_PREFIX,
                        fixture.meta.get("APP_ID_PREFIX").asText(),
                        AppConfig.TOPIC_REPLICATION_FACTOR,
                        "1"))
                .with(AppConfig.SCHEMA_REGISTRY_URL, registry.url())
                .with(AppConfig.HTTP_PORT, "0")
                // the data is sealed under the old run's keys: the same secrets, or nothing opens
                .with(DataKeys.DATA_KEYS, fixture.secret("DATA_KEYS"))
                .with(SecretHasher.CODE_HASH_KEY, fixture.secret("CODE_HASH_KEY"))
                .with(PlatformDirectory.PLATFORMS, directory.toString())
                .with(UserCommandService.SMS_OUTBOX_FILE, outbox.toString()),
            state);
    pipeline = LocalPipeline.start(config);
    for (JsonNode p : fixture.meta.get("platforms")) {
      platforms.put(
          p.get("id").asText(),
          new ApiClient(
              pipeline.baseUrl(), p.get("client_id").asText(), p.get("api_key").asText()));
    }
    platforms.put("upgrade-c", new ApiClient(pipeline.baseUrl(), "client-c", "key-c"));
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  /**
   * Before this version's services register anything: each old subject's record, as this version
   * generates it, is a compatible next version under the subject's level, and registers.
   */
  private static void checkNewSchemas(SchemaRegistryClient client) {
    for (var subject : fixture.oldSubjects().entrySet()) {
      Schema current = SpecificData.get().getSchema(classOf(subject.getValue()));
      try {
        if (!client.isCompatible(subject.getKey(), current)) {
          incompatible.put(subject.getKey(), "not compatible");
        } else {
          client.register(subject.getKey(), current);
        }
      } catch (RuntimeException e) {
        incompatible.put(subject.getKey(), e.toString());
      }
    }
  }

  private static Class<?> classOf(Schema old) {
    try {
      return Class.forName(old.getFullName());
    } catch (ClassNotFoundException e) {
      throw new AssertionError("this version has no class " + old.getFullName(), e);
    }
  }

  @Test
  @Order(1)
  void theNewSchemasRegisterAsCompatibleVersionsOfTheOldSubjects() {
    assertFalse(fixture.oldSubjects().isEmpty());
    assertTrue(
        restored.schemaIds().entrySet().stream().anyMatch(e -> !e.getKey().equals(e.getValue())),
        "the new registry gave other ids, so the rewrite is exercised: " + restored.schemaIds());
    assertEquals(Map.of(), incompatible);
  }

  @Test
  @Order(2)
  void everyPersonReadsBackAsBeforeForThePlatformsThatHadThem() {
    int checked = 0;
    for (JsonNode expected : fixture.expectations) {
      String id = expected.get("user_id").asText();
      String platform = expected.get("platform").asText();
      var answer = platforms.get(platform).get("/v2/users/" + id);
      assertEquals(expected.get("status").asInt(), answer.status(), platform + " " + id);
      if (answer.status() != 200) {
        continue;
      }
      JsonNode user = answer.json();
      assertEquals("connected", user.at("/connection/status").asText(), user.toString());
      JsonNode old = inDotsShape(expected.get("user"));
      if (!platform.equals(expected.get("creator").asText())) {
        // the old version had one metadata map per person; it is the creator's now, and another
        // platform reads only its own (SECURITY.md, "Tenancy")
        ((com.fasterxml.jackson.databind.node.ObjectNode) old).remove("metadata");
        JsonNode creators = creatorsView(id, fixture).path("metadata");
        for (Iterator<String> keys = creators.fieldNames(); keys.hasNext(); ) {
          String key = keys.next();
          assertTrue(user.path("metadata").path(key).isMissingNode(), "not its own: " + user);
        }
      }
      assertContains(old, user, platform + " reads " + id);
      var methods = platforms.get(platform).get("/v2/users/" + id + "/payout-methods");
      assertEquals(200, methods.status(), methods.raw().body());
      JsonNode oldMethods = expected.get("payout_methods").get("data");
      assertEquals(oldMethods.size(), methods.json().size(), platform + " " + id);
      for (int i = 0; i < oldMethods.size(); i++) {
        assertContains(
            inDotsShape(oldMethods.get(i)), methods.json().get(i), platform + " method " + id);
      }
      checked++;
    }
    assertTrue(checked >= 10, "only " + checked + " reads");
  }

  @Test
  @Order(3)
  void eachPlatformListsThePeopleItHad() {
    for (String platform : List.of("upgrade-a", "upgrade-b")) {
      Set<String> expected = new TreeSet<>();
      for (JsonNode e : fixture.expectations) {
        if (e.get("platform").asText().equals(platform) && e.get("status").asInt() == 200) {
          expected.add(e.get("user_id").asText());
        }
      }
      var list = platforms.get(platform).get("/v2/users?limit=100");
      assertEquals(200, list.status(), list.raw().body());
      Set<String> listed = new TreeSet<>();
      for (JsonNode u : list.json().get("data")) {
        listed.add(u.get("id").asText());
        assertEquals("connected", u.at("/connection/status").asText(), u.toString());
      }
      assertEquals(expected, listed, platform);
    }
  }

  private static JsonNode creatorsView(String id, UpgradeFixture fixture) {
    for (JsonNode e : fixture.expectations) {
      if (e.get("user_id").asText().equals(id)
          && e.get("platform").asText().equals(e.get("creator").asText())) {
        return e.get("user");
      }
    }
    throw new AssertionError("no creator's view of " + id);
  }

  /** Every field of {@code old} is in {@code now}, equal; {@code now} may have more. */
  /**
   * What the previous version answered, in the shape this one answers (docs/API.md, "Upgrade"):
   * Dots names the default payout method by its kind and a method's kind {@code platform}; the user
   * status shows a sanctions case ({@code in_review}, {@code disabled}).
   */
  static JsonNode inDotsShape(JsonNode oldAnswer) {
    var json = (com.fasterxml.jackson.databind.node.ObjectNode) oldAnswer.deepCopy();
    if (json.has("type") && json.has("mask")) { // a payout method
      json.set("platform", json.remove("type"));
      return json;
    }
    JsonNode details = json.path("default_payout_method_details");
    if (details.isObject()) {
      JsonNode method = inDotsShape(details);
      json.set("default_payout_method_details", method);
      json.set("default_payout_method", method.get("platform"));
    }
    String ofac = json.at("/compliance/flags/ofac_status").asText("");
    if (ofac.equals("flagged")) {
      json.put("status", "disabled");
    } else if (ofac.equals("in_review") || ofac.equals("id_verification_required")) {
      json.put("status", "in_review");
    }
    return json;
  }

  private static void assertContains(JsonNode old, JsonNode now, String where) {
    if (old.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = old.fields(); it.hasNext(); ) {
        var field = it.next();
        assertTrue(now.has(field.getKey()), where + ": no " + field.getKey() + " in " + now);
        assertContains(field.getValue(), now.get(field.getKey()), where + "/" + field.getKey());
      }
    } else {
      assertEquals(old, now, where);
    }
  }

  @Test
  @Order(4)
  void theDeletedPersonStaysGoneForEveryPlatform() {
    int deleted = 0;
    for (JsonNode expected : fixture.expectations) {
      if (!expected.has("user")) { // deleted under the old version
        String id = expected.get("user_id").asText();
        for (var platform : platforms.entrySet()) {
          var answer = platform.getValue().get("/v2/users/" + id);
          assertEquals(404, answer.status(), platform.getKey() + " reads " + answer.raw().body());
        }
        deleted++;
      }
    }
    assertTrue(deleted > 0);
  }

  @Test
  @Order(5)
  void newCommandsWorkOnOldPeople() throws Exception {
    JsonNode katherine = viewOf("Katherine");
    String id = katherine.get("id").asText();
    commandedAfterUpgrade.add(id);
    ApiClient a = platforms.get("upgrade-a");
    ApiClient b = platforms.get("upgrade-b");

    var updated = a.send("PATCH", "/v2/users/" + id, "{\"email\":\"kgj@nasa.example\"}");
    assertEquals(200, updated.status(), updated.raw().body());
    assertEquals("kgj@nasa.example", updated.json().get("email").asText());
    assertEquals("kgj@nasa.example", b.get("/v2/users/" + id).json().get("email").asText());

    var own = b.send("PATCH", "/v2/users/" + id, "{\"metadata\":{\"b_ref\":\"kj-2\"}}");
    assertEquals(200, own.status(), own.raw().body());
    assertEquals("kj-2", own.json().at("/metadata/b_ref").asText());
    assertEquals(
        katherine.get("metadata"), a.get("/v2/users/" + id).json().get("metadata"), "A's own");

    // a third platform that knows her phone asks to connect and reads only what it sent
    String phone = katherine.at("/phone_number/phone_number").asText();
    var asked =
        platforms
            .get("upgrade-c")
            .post(
                "/v2/users",
                """
                {"first_name":"Kay","last_name":"J","email":"c-guess@example.com",
                 "country_code":"1","phone_number":"%s"}"""
                    .formatted(phone));
    assertEquals(200, asked.status(), asked.raw().body());
    JsonNode pending = asked.json();
    assertEquals(id, pending.get("id").asText());
    assertEquals("pending", pending.at("/connection/status").asText(), pending.toString());
    assertEquals("Kay", pending.get("first_name").asText());
    assertTrue(pending.get("date_of_birth").isNull(), pending.toString());
    assertEquals(
        "in_review", pending.at("/compliance/flags/ofac_status").asText(), pending.toString());
    var read = platforms.get("upgrade-c").get("/v2/users/" + id);
    assertEquals("pending", read.json().at("/connection/status").asText(), read.raw().body());
    assertEquals("connected", a.get("/v2/users/" + id).json().at("/connection/status").asText());
    assertEquals("connected", b.get("/v2/users/" + id).json().at("/connection/status").asText());

    // the person consents with the code to their phone (hashed under the old run's key)
    var sent = platforms.get("upgrade-c").post("/v2/users/" + id + "/send-verification-token", "");
    assertEquals(202, sent.status(), sent.raw().body());
    String code = awaitCode("+1" + phone, "upgrade-c asks to connect");
    var verified =
        platforms
            .get("upgrade-c")
            .post("/v2/users/" + id + "/verify", "{\"token\":\"" + code + "\"}");
    assertEquals(200, verified.status(), verified.raw().body());
    assertEquals("connected", verified.json().at("/connection/status").asText());
    assertEquals("Goble Johnson", verified.json().get("last_name").asText(), "the person's own");
    assertEquals(katherine.get("date_of_birth"), verified.json().get("date_of_birth"));
  }

  private static String awaitCode(String phone, String asking) throws Exception {
    Pattern pattern = Pattern.compile("code is ([0-9]{6})");
    for (int i = 0; i < 600; i++) {
      if (Files.exists(outbox)) {
        for (String line : Files.readString(outbox).split("\n")) {
          Matcher m = pattern.matcher(line);
          if (line.contains(phone) && line.contains(asking) && m.find()) {
            return m.group(1);
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no text to " + phone + " saying " + asking);
  }

  @Test
  @Order(6)
  void aPersonInReviewBeforeTheUpgradeIsClearedByAnOperator() throws Exception {
    JsonNode listed = null;
    for (JsonNode e : fixture.expectations) {
      if (e.get("status").asInt() == 200
          && e.at("/user/compliance/flags/ofac_status").asText().equals("in_review")) {
        listed = e;
      }
    }
    assertTrue(listed != null, "no one in review in the fixture");
    String id = listed.get("user_id").asText();
    commandedAfterUpgrade.add(id);
    var operator = TestOperators.add(config, pipeline.baseUrl(), "upgrade-reviewer");
    var queue = operator.client().get("/admin/ofac/review-queue?status=in_review&limit=100");
    assertEquals(200, queue.status(), queue.raw().body());
    assertTrue(queue.raw().body().contains(id), "in the queue: " + queue.raw().body());
    var cleared =
        operator
            .client()
            .post(
                "/admin/users/" + id + "/ofac-review",
                "{\"decision\":\"clear\",\"note\":\"passport shows another DOB\"}");
    assertEquals(200, cleared.status(), cleared.raw().body());
    var read = platforms.get(listed.get("platform").asText()).get("/v2/users/" + id);
    assertEquals(
        "unflagged", read.json().at("/compliance/flags/ofac_status").asText(), read.raw().body());
  }

  private static JsonNode viewOf(String firstName) {
    for (JsonNode e : fixture.expectations) {
      if (e.get("status").asInt() == 200
          && e.get("user").get("first_name").asText().equals(firstName)
          && e.get("platform").asText().equals(e.get("creator").asText())) {
        return e.get("user");
      }
    }
    throw new AssertionError("no " + firstName + " in the fixture");
  }

  @Test
  @Order(7)
  void nothingIsDeadLettered() throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      List<TopicPartition> dlq = new ArrayList<>();
      for (var d :
          admin
              .describeTopics(
                  admin.listTopics().names().get().stream()
                      .filter(n -> n.endsWith(".dlq"))
                      .toList())
              .allTopicNames()
              .get()
              .values()) {
        d.partitions().forEach(p -> dlq.add(new TopicPartition(d.name(), p.partition())));
      }
      assertFalse(dlq.isEmpty());
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      dlq.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      for (var end : admin.listOffsets(latest).all().get().entrySet()) {
        assertEquals(0, end.getValue().offset(), "dead letters on " + end.getKey());
      }
    }
  }

  @Test
  @Order(8)
  void nothingDecidedBeforeTheUpgradeIsDecidedAgain() {
    Set<String> oldCommands = new HashSet<>();
    Map<String, Integer> results = new HashMap<>();
    for (var r : TopicDump.readAll(config, Topics.COMMAND_RESULTS)) {
      String command = r.value().getCommandId();
      results.merge(command, 1, Integer::sum);
      if (restoredBefore(r)) {
        oldCommands.add(command);
      }
    }
    assertTrue(oldCommands.size() > 20, "old results: " + oldCommands.size());
    results.forEach((command, n) -> assertEquals(1, n, "results of " + command));

    Set<String> versions = new HashSet<>();
    for (var r : TopicDump.readAll(config, Topics.USER_EVENTS)) {
      assertTrue(
          versions.add(r.value().getUserId() + "@" + r.value().getVersion()),
          "two events of one version: " + r.value());
      if (!restoredBefore(r)) {
        assertFalse(oldCommands.contains(r.value().getCommandId()), "decided again: " + r.value());
      }
    }
    // the same list, the same people: the screener says nothing new about anyone this test did
    // not send a command about
    for (var r : TopicDump.readAll(config, Topics.OFAC_SCREENINGS)) {
      assertTrue(
          restoredBefore(r) || commandedAfterUpgrade.contains(r.key()), "screened again: " + r);
    }
  }

  private static boolean restoredBefore(ConsumerRecord<?, ?> r) {
    return r.offset()
        < restored.recordCounts().getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L);
  }

  /**
   * The fixture leaves out the shipped SDN list's records (1.6 MB); this version published its
   * shipped list at start on the empty topic. It is the old one, record for record (the Avro
   * bodies' digests), so the screener had no new version to re-screen with.
   */
  @Test
  @Order(9)
  void theShippedListThisVersionPublishedIsTheOldOne() throws Exception {
    // (keys are "<version>/<file>" and "current"; the version is the files' content hash)
    Map<String, String> old = new TreeMap<>();
    for (JsonNode r : fixture.records) {
      if (r.has("value_sha256")) {
        old.put(r.get("key").asText(), r.get("value_sha256").asText());
      }
    }
    assertFalse(old.isEmpty());
    Map<String, String> now = new TreeMap<>();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var tp = new TopicPartition(Topics.OFAC_LISTS.name(), 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          byte[] body = Arrays.copyOfRange(r.value(), 5, r.value().length);
          now.put(
              Base64.getEncoder().encodeToString(r.key()),
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        }
      }
    }
    // the version pointer carries its publication time: the same keys, and the same files
    String pointer = Base64.getEncoder().encodeToString("current".getBytes(StandardCharsets.UTF_8));
    assertEquals(old.keySet(), now.keySet());
    old.remove(pointer);
    now.remove(pointer);
    assertEquals(old, now);
  }
}
