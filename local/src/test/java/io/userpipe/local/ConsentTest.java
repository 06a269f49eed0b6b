package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.commands.UserCommandService;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Consent to connect, end to end over HTTP on the embedded broker and the real registry: a platform
 * that creates a user with a phone another platform's person has sees only what it sent until the
 * person enters the code sent on its behalf; metadata stays each platform's own; a DELETE
 * disconnects one platform; the last one erases the person, unless a sanctions finding holds the
 * data for an operator.
 */
class ConsentTest {

  private static final Pattern CODE = Pattern.compile("code is ([0-9]{6})");

  private static LocalPipeline pipeline;
  private static ApiClient platformA;
  private static ApiClient platformB;
  private static ApiClient operator;
  private static Path outbox;

  @BeforeAll
  static void start() {
    AppConfig base = SharedKafka.config();
    outbox = base.stateDir().resolve("consent-sms-outbox.txt");
    AppConfig config =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, "0")
                .with(Projections.OFAC_FIRST_VERDICT_WAIT, "PT10S")
                .with(
                    Projections.PLATFORMS,
                    PlatformDirectory.entry("consent-a", "consent-client-a", "key-a")
                        + ","
                        + PlatformDirectory.entry("consent-b", "consent-client-b", "key-b"))
                .with(UserCommandService.SMS_OUTBOX_FILE, outbox.toString()),
            base.stateDir());
    pipeline = TestPipelines.startOnSharedBroker(config);
    platformA = new ApiClient(pipeline.baseUrl(), "consent-client-a", "key-a");
    platformB = new ApiClient(pipeline.baseUrl(), "consent-client-b", "key-b");
    try {
      operator = TestOperators.add(config, pipeline.baseUrl(), "consent-operator").client();
    } catch (Exception e) {
      throw new IllegalStateException("cannot add the test's operator", e);
    }
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  /** A's user: the whole profile and A's own metadata. */
  private static String createByA(String phone, String first, String last, String dob) {
    var answer =
        platformA.post(
            "/v2/users",
            """
            {"first_name":"%s","last_name":"%s","email":"a-%s@example.com",
             "country_code":"1","phone_number":"%s","date_of_birth":"%s",
             "metadata":{"note":"A-only"}}"""
                .formatted(first, last, phone, phone, dob));
    assertEquals(200, answer.status(), answer.raw().body());
    return answer.json().get("id").asText();
  }

  private static String createByA(String phone) {
    return createByA(phone, "Katherine", "Johnson", "1918-08-26");
  }

  /** B's create with the same phone: other values, no date of birth, B's own metadata. */
  private static ApiClient.Answer createByB(String phone) {
    return platformB.post(
        "/v2/users",
        """
        {"first_name":"Kathy","last_name":"J","email":"b-guess@example.com",
         "country_code":"1","phone_number":"%s","metadata":{"b":"own"}}"""
            .formatted(phone));
  }

  private static void assertPendingViewOfB(JsonNode user) {
    assertEquals("pending", user.at("/connection/status").asText(), user.toString());
    assertEquals("Kathy", user.get("first_name").asText(), "only what B sent itself");
    assertEquals("b-guess@example.com", user.get("email").asText());
    assertTrue(user.get("date_of_birth").isNull(), "B did not send it: " + user);
    assertEquals("own", user.at("/metadata/b").asText());
    assertTrue(user.at("/metadata/note").isMissingNode(), "never A's metadata: " + user);
    assertEquals("unverified", user.get("status").asText());
    assertTrue(user.at("/compliance/tin_last4").isNull());
    // not disclosed before consent: one of Dots' values, and never "cleared"
    assertEquals("in_review", user.at("/compliance/flags/ofac_status").asText(), user.toString());
    assertTrue(user.at("/compliance/flags/ofac").asBoolean(false));
    assertTrue(user.get("default_payout_method").isNull());
    assertFalse(user.get("payable").asBoolean(true));
  }

  /** B sends the code and enters it, as the person would tell it. */
  private static JsonNode connectB(String id, String phone) throws IOException {
    var sent = platformB.post("/v2/users/" + id + "/send-verification-token", "");
    assertEquals(202, sent.status(), sent.raw().body());
    String code = awaitCode(phone, "consent-b asks to connect");
    var verified = platformB.post("/v2/users/" + id + "/verify", "{\"token\":\"" + code + "\"}");
    assertEquals(200, verified.status(), verified.raw().body());
    return verified.json();
  }

  @Test
  void anotherPlatformSeesOnlyWhatItSentUntilThePersonConfirmsWithTheCode() throws IOException {
    String phone = TestPhones.next();
    String id = createByA(phone);

    var asked = createByB(phone);
    assertEquals(200, asked.status(), asked.raw().body());
    assertEquals(id, asked.json().get("id").asText(), "one person per phone");
    assertPendingViewOfB(asked.json());
    assertPendingViewOfB(platformB.get("/v2/users/" + id).json());
    var again = createByB(phone);
    assertEquals(id, again.json().get("id").asText());
    assertPendingViewOfB(again.json());
    JsonNode listed = null;
    for (JsonNode u : platformB.get("/v2/users?limit=100").json().get("data")) {
      if (u.get("id").asText().equals(id)) {
        listed = u;
      }
    }
    assertTrue(listed != null, "B lists the person it asked for");
    assertPendingViewOfB(listed);

    // while pending, B may change nothing and erase nothing
    var patch = platformB.send("PATCH", "/v2/users/" + id, "{\"email\":\"b@example.com\"}");
    assertEquals(403, patch.status(), patch.raw().body());
    assertEquals("connection_pending", patch.json().at("/error/code").asText());
    assertEquals(403, platformB.send("DELETE", "/v2/users/" + id, null).status());
    assertEquals(
        403,
        platformB
            .send(
                "PUT",
                "/v2/users/" + id + "/payout-methods",
                "{\"platform\":\"paypal\",\"email\":\"kj@example.com\"}")
            .status());
    assertEquals(
        403,
        platformB
            .send(
                "PUT",
                "/v2/users/" + id + "/compliance",
                "{\"w9\":{\"entity_type\":\"individual\",\"first_name\":\"K\","
                    + "\"last_name\":\"J\",\"tin\":\"123456789\"}}")
            .status());
    assertEquals(403, platformB.post("/v2/users/" + id + "/id-verification", "{}").status());
    assertEquals(0, platformB.get("/v2/users/" + id + "/payout-methods").json().size());

    JsonNode seenByA = platformA.get("/v2/users/" + id).json();
    assertEquals("a-" + phone + "@example.com", seenByA.get("email").asText(), seenByA.toString());
    assertEquals("A-only", seenByA.at("/metadata/note").asText());
    assertTrue(seenByA.at("/metadata/b").isMissingNode(), "B's metadata is B's: " + seenByA);
    assertEquals("connected", seenByA.at("/connection/status").asText());

    JsonNode connected = connectB(id, phone);
    assertEquals("connected", connected.at("/connection/status").asText(), connected.toString());
    assertEquals("a-" + phone + "@example.com", connected.get("email").asText());
    assertEquals("1918-08-26", connected.get("date_of_birth").asText());
    assertEquals("verified", connected.get("status").asText());
    assertEquals("own", connected.at("/metadata/b").asText());
    assertTrue(connected.at("/metadata/note").isMissingNode(), "still not A's: " + connected);
    JsonNode read = platformB.get("/v2/users/" + id).json();
    assertEquals("Katherine", read.get("first_name").asText());
    assertTrue(read.at("/metadata/note").isMissingNode());
    assertEquals("A-only", platformA.get("/v2/users/" + id).json().at("/metadata/note").asText());
  }

  @Test
  void aCommandOfAnotherPlatformIsNotFound() {
    String key = "consent-" + UUID.randomUUID();
    String phone = TestPhones.next();
    var created =
        platformA.post(
            "/v2/users",
            """
            {"idempotency_key":"%s","first_name":"Mary","last_name":"Jackson",
             "email":"mj-%s@example.com","country_code":"1","phone_number":"%s"}"""
                .formatted(key, phone, phone));
    assertEquals(200, created.status(), created.raw().body());
    String commandId =
        UUID.nameUUIDFromBytes(("idempotency:consent-a:" + key).getBytes(StandardCharsets.UTF_8))
            .toString();
    assertEquals(200, platformA.get("/v2/commands/" + commandId).status());
    assertEquals(404, platformB.get("/v2/commands/" + commandId).status());
  }

  @Test
  void aDeleteByOnePlatformDisconnectsItAndTheOtherKeepsTheUserWhole() throws IOException {
    String phone = TestPhones.next();
    String id = createByA(phone);
    assertEquals(200, createByB(phone).status());
    connectB(id, phone);

    var left = platformB.send("DELETE", "/v2/users/" + id, null);
    assertEquals(200, left.status(), left.raw().body());
    assertEquals(404, platformB.get("/v2/users/" + id).status());
    for (JsonNode u : platformB.get("/v2/users?limit=100").json().get("data")) {
      assertFalse(u.get("id").asText().equals(id), "no longer B's");
    }
    var kept = platformA.get("/v2/users/" + id);
    assertEquals(200, kept.status(), kept.raw().body());
    assertEquals("Katherine", kept.json().get("first_name").asText());
    assertEquals("A-only", kept.json().at("/metadata/note").asText());
    assertFalse(keyTombstoned(id));
  }

  @Test
  void theLastConnectedPlatformLeavingErasesThePersonPendingOnesDoNotKeepIt() {
    String phone = TestPhones.next();
    String id = createByA(phone);
    assertEquals(200, createByB(phone).status()); // pending only

    var deleted = platformA.send("DELETE", "/v2/users/" + id, null);
    assertEquals(200, deleted.status(), deleted.raw().body());
    assertEquals(404, platformA.get("/v2/users/" + id).status());
    assertEquals(404, platformB.get("/v2/users/" + id).status());
    assertTrue(keyTombstoned(id), "the person's key is shredded");
  }

  @Test
  void aSanctionsFindingHoldsTheDataWhenTheLastPlatformLeavesAndRefusesOperatorErasure() {
    String phone = TestPhones.next();
    String id = createByA(phone, "Nicolas", "Maduro Moros", "1962-11-23");
    String status =
        platformA.get("/v2/users/" + id).json().at("/compliance/flags/ofac_status").asText();
    assertTrue(!status.equals("unflagged") && !status.isEmpty(), "a listed name: " + status);

    var deleted = platformA.send("DELETE", "/v2/users/" + id, null);
    assertEquals(200, deleted.status(), deleted.raw().body());
    assertEquals(404, platformA.get("/v2/users/" + id).status(), "gone for the platform");
    assertFalse(keyTombstoned(id), "the data is held, not shredded");

    // the phone still belongs to the held person: a create asks to connect to them
    var again =
        platformA.post(
            "/v2/users",
            """
            {"first_name":"N","last_name":"M","email":"nm@example.com",
             "country_code":"1","phone_number":"%s"}"""
                .formatted(phone));
    assertEquals(200, again.status(), again.raw().body());
    assertEquals(id, again.json().get("id").asText());
    assertEquals("pending", again.json().at("/connection/status").asText());

    var refused =
        operator.post(
            "/admin/users/" + id + "/erasure",
            "{\"operator\":\"ops@example.com\",\"reason\":\"erasure request\"}");
    assertEquals(409, refused.status(), refused.raw().body());
    assertTrue(refused.raw().body().contains("ofac_status"), refused.raw().body());
    assertFalse(keyTombstoned(id));
  }

  @Test
  void anOperatorErasesThePersonWhateverPlatformsAreConnected() throws IOException {
    String phone = TestPhones.next();
    String id = createByA(phone);
    assertEquals(200, createByB(phone).status());
    connectB(id, phone);

    var anonymous =
        platformA.post("/admin/users/" + id + "/erasure", "{\"operator\":\"x\",\"reason\":\"y\"}");
    assertEquals(401, anonymous.status(), anonymous.raw().body());
    var erased =
        operator.post(
            "/admin/users/" + id + "/erasure",
            "{\"operator\":\"ops@example.com\",\"reason\":\"erasure request\"}");
    assertEquals(200, erased.status(), erased.raw().body());
    assertEquals(404, platformA.get("/v2/users/" + id).status());
    assertEquals(404, platformB.get("/v2/users/" + id).status());
    assertTrue(keyTombstoned(id));
  }

  private static boolean keyTombstoned(String userId) {
    var last =
        TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.USER_KEYS.name()).stream()
            .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(userId))
            .reduce((a, b) -> b);
    assertTrue(last.isPresent(), "no key for " + userId);
    return last.get().value() == null;
  }

  /** The code as the person's phone got it: the last text to this phone saying who asks. */
  private static String awaitCode(String phone, String asking) throws IOException {
    for (int i = 0; i < 300; i++) {
      if (Files.exists(outbox)) {
        String found = null;
        for (String line : Files.readString(outbox).split("\n")) {
          Matcher m = CODE.matcher(line);
          if (line.contains("+1" + phone) && line.contains(asking) && m.find()) {
            found = m.group(1);
          }
        }
        if (found != null) {
          return found;
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no text to " + phone);
  }
}
