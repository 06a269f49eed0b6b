package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.commands.UserCommandService;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.cli.PlatformsTool;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The user command side end to end, over HTTP, on the embedded broker and the local registry:
 * dedupe across platforms and under a race, updates, deletion, one-time codes, idempotency,
 * listing, and isolation between platforms.
 */
class UserLifecycleTest {

  private static final Pattern CODE = Pattern.compile("code is ([0-9]{6})");

  private static LocalPipeline pipeline;
  private static ApiClient platformA;
  private static ApiClient platformB;
  private static Path outbox;
  private static AppConfig config;

  @BeforeAll
  static void start() {
    AppConfig base = SharedKafka.config();
    outbox = base.stateDir().resolve("sms-outbox.txt");
    config =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, "0")
                .with(
                    Projections.PLATFORMS,
                    PlatformDirectory.entry("lifecycle-a", "lifecycle-client-a", "key-a")
                        + ","
                        + PlatformDirectory.entry("lifecycle-b", "lifecycle-client-b", "key-b"))
                .with(UserCommandService.SMS_OUTBOX_FILE, outbox.toString())
                .with("CODE_TTL", "PT8S")
                .with("CODE_MIN_RESEND_INTERVAL", "PT10S"),
            base.stateDir());
    pipeline = TestPipelines.startOnSharedBroker(config);
    platformA = new ApiClient(pipeline.baseUrl(), "lifecycle-client-a", "key-a");
    platformB = new ApiClient(pipeline.baseUrl(), "lifecycle-client-b", "key-b");
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static String userJson(String phone, String email) {
    return """
        {"first_name":"Katherine","last_name":"Johnson","email":"%s",
         "country_code":"1","phone_number":"%s","date_of_birth":"1918-08-26"}"""
        .formatted(email, phone);
  }

  private static String create(ApiClient client, String phone) {
    var answer = client.post("/v2/users", userJson(phone, "kj-" + phone + "@example.com"));
    assertEquals(200, answer.status(), answer.raw().body());
    return answer.json().get("id").asText();
  }

  @Test
  void theSamePhoneFromAnotherPlatformConnectsTheSameUserAndBothSeeIt() {
    String phone = TestPhones.next();
    String id = create(platformA, phone);
    String again = create(platformB, phone);
    assertEquals(id, again);
    assertEquals(200, platformA.get("/v2/users/" + id).status());
    assertEquals(200, platformB.get("/v2/users/" + id).status());
  }

  /**
   * A platform added with bin/platforms, its key rotated with a grace period, the grace ended and
   * the platform retired, all while the pipeline runs: each change reaches the door without a
   * restart, and the rotated platform keeps its users.
   */
  @Test
  void aPlatformsKeyRotatesWithoutARestart() throws Exception {
    var tool =
        new PlatformsTool(
            config,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            "test",
            Clock.systemUTC());
    String platformId = "rotating-" + System.nanoTime();
    var first = new ApiClient(pipeline.baseUrl(), platformId, tool.add(platformId, platformId));
    first.awaitStatus("/v2/users?limit=1", 200);
    String id = create(first, TestPhones.next());

    var second =
        new ApiClient(pipeline.baseUrl(), platformId, tool.rotate(platformId, Duration.ofHours(1)));
    second.awaitStatus("/v2/users/" + id, 200);
    assertEquals(200, first.get("/v2/users/" + id).status(), "the old key, in its grace period");
    assertEquals(id, second.get("/v2/users/" + id).json().get("id").asText(), "the same platform");

    tool.endGrace(platformId);
    first.awaitStatus("/v2/users/" + id, 401);
    assertEquals(200, second.get("/v2/users/" + id).status());
    assertEquals(404, platformA.get("/v2/users/" + id).status(), "still its own user only");

    tool.retire(platformId);
    second.awaitStatus("/v2/users/" + id, 401);
  }

  @Test
  void aPlatformCannotReadOrChangeAnotherPlatformsUser() {
    String id = create(platformA, TestPhones.next());
    assertEquals(404, platformB.get("/v2/users/" + id).status());
    assertEquals(
        404, platformB.send("PATCH", "/v2/users/" + id, "{\"email\":\"x@example.com\"}").status());
    assertEquals(404, platformB.send("DELETE", "/v2/users/" + id, null).status());
    assertEquals(404, platformB.post("/v2/users/" + id + "/send-verification-token", "").status());
    assertEquals(200, platformA.get("/v2/users/" + id).status());
  }

  @Test
  void fiftyConcurrentCreatesForOnePhoneMakeOneUserAndFiftyAnswersNamingIt() throws Exception {
    String phone = TestPhones.next();
    var pool = Executors.newFixedThreadPool(10);
    try {
      List<Callable<ApiClient.Answer>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        ApiClient client = i % 2 == 0 ? platformA : platformB;
        calls.add(() -> client.post("/v2/users", userJson(phone, "race@example.com")));
      }
      Set<String> ids = new HashSet<>();
      int answers = 0;
      for (Future<ApiClient.Answer> f : pool.invokeAll(calls)) {
        var answer = f.get();
        assertEquals(200, answer.status(), answer.raw().body());
        ids.add(answer.json().get("id").asText());
        answers++;
      }
      assertEquals(50, answers);
      assertEquals(1, ids.size(), "users made for one phone: " + ids);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anUpdateChangesTheViewAndIsReadBackAtOnce() {
    String id = create(platformA, TestPhones.next());
    var updated =
        platformA.send(
            "PATCH",
            "/v2/users/" + id,
            "{\"email\":\"new@example.com\",\"metadata\":{\"tier\":\"gold\"}}");
    assertEquals(200, updated.status(), updated.raw().body());
    assertEquals("new@example.com", updated.json().get("email").asText());
    JsonNode read = platformA.get("/v2/users/" + id).json();
    assertEquals("new@example.com", read.get("email").asText());
    assertEquals("gold", read.at("/metadata/tier").asText());
    assertEquals("Katherine", read.get("first_name").asText());
  }

  @Test
  void anInvalidUpdateIs400NamingTheField() {
    String id = create(platformA, TestPhones.next());
    var answer = platformA.send("PATCH", "/v2/users/" + id, "{\"date_of_birth\":\"2999-01-01\"}");
    assertEquals(400, answer.status());
    assertEquals("date_of_birth", answer.json().at("/error/fields/0/field").asText());
  }

  @Test
  void aDeletedUserDisappearsItsPersonalDataIsUnreadableAndItsPhoneIsFree() {
    String phone = TestPhones.next();
    String email = "shred-" + phone + "@example.com";
    var created = platformA.post("/v2/users", userJson(phone, email));
    String id = created.json().get("id").asText();

    var deleted = platformA.send("DELETE", "/v2/users/" + id, null);
    assertEquals(200, deleted.status(), deleted.raw().body());
    assertEquals(404, platformA.get("/v2/users/" + id).status());
    var list = platformA.get("/v2/users?limit=100");
    assertEquals(200, list.status(), list.raw().body());
    for (JsonNode u : list.json().get("data")) {
      assertNotEquals(id, u.get("id").asText());
    }
    // personal data never travels in the clear: the email is in no event
    for (var r : TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.USER_EVENTS.name())) {
      assertFalse(new String(r.value(), StandardCharsets.ISO_8859_1).contains(email));
    }
    // the user's key is tombstoned
    var keys = TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.USER_KEYS.name());
    var last =
        keys.stream()
            .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(id))
            .reduce((a, b) -> b);
    assertTrue(last.isPresent() && last.get().value() == null, "no tombstone for the user's key");

    String newId = awaitNewUser(phone, id);
    assertNotEquals(id, newId);
  }

  /** The phone is freed a moment after the deletion; a create in between is told to retry. */
  private static String awaitNewUser(String phone, String oldId) {
    for (int i = 0; i < 50; i++) {
      var answer = platformA.post("/v2/users", userJson(phone, "again@example.com"));
      if (answer.status() == 200 && !answer.json().get("id").asText().equals(oldId)) {
        return answer.json().get("id").asText();
      }
      sleep(100);
    }
    throw new AssertionError("the phone was never freed");
  }

  @Test
  void theCodeLifeCycleWrongThenRightVerifiesTheUser() throws IOException {
    String id = create(platformA, TestPhones.next());
    assertEquals("unverified", platformA.get("/v2/users/" + id).json().get("status").asText());
    var sent = platformA.post("/v2/users/" + id + "/send-verification-token", "");
    assertEquals(202, sent.status(), sent.raw().body());
    String code = awaitCode(id);

    var wrong =
        platformA.post("/v2/users/" + id + "/verify", "{\"token\":\"" + otherThan(code) + "\"}");
    assertEquals(400, wrong.status(), wrong.raw().body());
    var right = platformA.post("/v2/users/" + id + "/verify", "{\"token\":\"" + code + "\"}");
    assertEquals(200, right.status(), right.raw().body());
    assertEquals("verified", right.json().get("status").asText());
    assertEquals("verified", platformA.get("/v2/users/" + id).json().get("status").asText());
  }

  @Test
  void fiveWrongCodesLockTheCodeWith429() throws IOException {
    String id = create(platformA, TestPhones.next());
    platformA.post("/v2/users/" + id + "/send-verification-token", "");
    String code = awaitCode(id);
    for (int i = 1; i <= 4; i++) {
      assertEquals(
          400,
          platformA
              .post("/v2/users/" + id + "/verify", "{\"token\":\"" + otherThan(code) + "\"}")
              .status());
    }
    var fifth =
        platformA.post("/v2/users/" + id + "/verify", "{\"token\":\"" + otherThan(code) + "\"}");
    assertEquals(429, fifth.status());
    assertEquals("locked", fifth.json().at("/error/code").asText());
    assertEquals(
        429,
        platformA.post("/v2/users/" + id + "/verify", "{\"token\":\"" + code + "\"}").status());
  }

  @Test
  void anExpiredCodeIs410() throws IOException {
    String id = create(platformA, TestPhones.next());
    platformA.post("/v2/users/" + id + "/send-verification-token", "");
    String code = awaitCode(id);
    sleep(8500);
    var late = platformA.post("/v2/users/" + id + "/verify", "{\"token\":\"" + code + "\"}");
    assertEquals(410, late.status(), late.raw().body());
    assertEquals("expired", late.json().at("/error/code").asText());
  }

  @Test
  void resendingTooSoonIs429() {
    String id = create(platformA, TestPhones.next());
    assertEquals(202, platformA.post("/v2/users/" + id + "/send-verification-token", "").status());
    var again = platformA.post("/v2/users/" + id + "/send-verification-token", "");
    assertEquals(429, again.status());
    assertEquals("throttled", again.json().at("/error/code").asText());
  }

  @Test
  void codesNeverAppearInTheClearOnAnyTopic() throws IOException {
    String id = create(platformA, TestPhones.next());
    platformA.post("/v2/users/" + id + "/send-verification-token", "");
    String code = awaitCode(id);
    platformA.post("/v2/users/" + id + "/verify", "{\"token\":\"" + code + "\"}");
    for (String topic :
        List.of(
            Topics.USER_COMMANDS.name(),
            Topics.USER_COMMANDS_BY_USER.name(),
            Topics.USER_EVENTS.name(),
            Topics.SMS.name(),
            Topics.COMMAND_RESULTS.name())) {
      for (var r : TopicReader.readAll(SharedKafka.bootstrapServers(), topic)) {
        if (r.value() != null) {
          assertFalse(
              new String(r.value(), StandardCharsets.ISO_8859_1).contains(code),
              "code in clear on " + topic);
        }
      }
    }
  }

  @Test
  void aRetriedRequestWithTheSameIdempotencyKeyMakesOneUserAndTheSameAnswer() {
    String body = userJson(TestPhones.next(), "idem@example.com");
    var first =
        platformA.post(
            "/v2/users",
            body.replace(
                "{\"first_name\"",
                "{\"idempotency_key\":\"k-" + body.hashCode() + "\",\"first_name\""));
    var second =
        platformA.post(
            "/v2/users",
            body.replace(
                "{\"first_name\"",
                "{\"idempotency_key\":\"k-" + body.hashCode() + "\",\"first_name\""));
    assertEquals(200, first.status(), first.raw().body());
    assertEquals(first.json().get("id"), second.json().get("id"));
    // the same key used by another platform is another request
    var other =
        platformB.post(
            "/v2/users",
            userJson(TestPhones.next(), "idem2@example.com")
                .replace(
                    "{\"first_name\"",
                    "{\"idempotency_key\":\"k-" + body.hashCode() + "\",\"first_name\""));
    assertNotEquals(first.json().get("id"), other.json().get("id"));
  }

  @Test
  void listingPagesThroughAPlatformsUsersNewestFirst() {
    var platformC = new ApiClient(pipeline.baseUrl(), "lifecycle-client-b", "key-b");
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      made.add(create(platformC, TestPhones.next()));
      sleep(5);
    }
    var page1 = platformC.get("/v2/users?limit=2");
    assertEquals(200, page1.status(), page1.raw().body());
    assertEquals(2, page1.json().get("data").size());
    assertTrue(page1.json().get("has_more").asBoolean());
    String newest = page1.json().get("data").get(0).get("id").asText();
    String second = page1.json().get("data").get(1).get("id").asText();
    assertEquals(made.get(4), newest);
    assertEquals(made.get(3), second);

    var page2 = platformC.get("/v2/users?limit=2&starting_after=" + second);
    assertEquals(made.get(2), page2.json().get("data").get(0).get("id").asText());
    assertEquals(made.get(1), page2.json().get("data").get(1).get("id").asText());

    var back = platformC.get("/v2/users?limit=2&ending_before=" + made.get(2));
    assertEquals(List.of(made.get(4), made.get(3)), ids(back.json()));

    assertEquals(400, platformC.get("/v2/users?limit=0").status());
    assertEquals(400, platformC.get("/v2/users?limit=101").status());
    assertEquals(400, platformC.get("/v2/users?starting_after=a&ending_before=b").status());
  }

  @Test
  void theApiIsDescribedByTheOpenApiDocumentItServes() {
    var anonymous = new ApiClient(pipeline.baseUrl(), null, null);
    var doc = anonymous.get("/openapi.yaml");
    assertEquals(200, doc.raw().statusCode());
    for (String path :
        List.of(
            "/v2/users:",
            "/v2/users/{id}:",
            "/v2/users/{id}/send-verification-token:",
            "/v2/users/{id}/verify:",
            "/v2/users/{id}/compliance/history:",
            "/v2/commands/{id}:")) {
      assertTrue(doc.raw().body().contains(path), path);
    }
  }

  @Test
  void everyEndpointRefusesMissingOrWrongCredentials() {
    var anonymous = new ApiClient(pipeline.baseUrl(), null, null);
    var wrong = new ApiClient(pipeline.baseUrl(), "lifecycle-client-a", "wrong");
    var unknown = new ApiClient(pipeline.baseUrl(), "nobody", "key-a");
    String id = create(platformA, TestPhones.next());
    List<String[]> calls =
        List.of(
            new String[] {"POST", "/v2/users", userJson(TestPhones.next(), "x@example.com")},
            new String[] {"GET", "/v2/users", null},
            new String[] {"GET", "/v2/users/" + id, null},
            new String[] {"PATCH", "/v2/users/" + id, "{}"},
            new String[] {"PUT", "/v2/users/" + id, "{}"},
            new String[] {"DELETE", "/v2/users/" + id, null},
            new String[] {"POST", "/v2/users/" + id + "/send-verification-token", ""},
            new String[] {"POST", "/v2/users/" + id + "/verify", "{\"token\":\"123456\"}"},
            new String[] {"GET", "/v2/commands/x", null});
    for (String[] call : calls) {
      for (ApiClient client : List.of(anonymous, wrong, unknown)) {
        var answer = client.send(call[0], call[1], call[2]);
        assertEquals(401, answer.status(), call[0] + " " + call[1]);
        assertEquals("unauthorized", answer.json().at("/error/code").asText());
      }
    }
    assertEquals(200, platformA.get("/v2/users/" + id).status(), "the user survived");
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("data").forEach(u -> ids.add(u.get("id").asText()));
    return ids;
  }

  /** The code as the user's phone got it: the last text in the local outbox for this user. */
  private static String awaitCode(String userId) throws IOException {
    for (int i = 0; i < 300; i++) {
      if (Files.exists(outbox)) {
        String text = Files.readString(outbox);
        String found = null;
        for (String line : text.split("\n")) {
          Matcher m = CODE.matcher(line);
          if (line.contains(phoneOf(userId)) && m.find()) {
            found = m.group(1);
          }
        }
        if (found != null && !found.equals(lastSeen.get(userId))) {
          lastSeen.put(userId, found);
          return found;
        }
      }
      sleep(100);
    }
    throw new AssertionError("no text for user " + userId);
  }

  private static final java.util.Map<String, String> lastSeen =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static String phoneOf(String userId) {
    JsonNode user = platformA.get("/v2/users/" + userId).json();
    return "+"
        + user.at("/phone_number/country_code").asText()
        + user.at("/phone_number/phone_number").asText();
  }

  private static String otherThan(String code) {
    return code.equals("000000") ? "000001" : "000000";
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
