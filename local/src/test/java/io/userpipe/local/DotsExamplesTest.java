package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userpipe.commands.UserCommandService;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.Json;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dots' own reference examples, replayed as an integrator would copy them (fixtures in {@code
 * dots/examples.json}, each with the URL it was copied from): a user is created, verified, given a
 * W-9 and an ACH account, then listed with a status filter. Each body is sent as Dots shows it;
 * only the values that no real service accepts are filled in, each named in the fixture with the
 * reason (a placeholder {@code <string>}, a routing number failing the ABA checksum, a phone number
 * that must be new each run). Each answer must carry every field of Dots' example answer with the
 * same JSON type, except those {@code docs/API.md} marks not applicable.
 */
class DotsExamplesTest {

  private static final Set<String> NOT_APPLICABLE =
      Set.of(
          "wallet",
          "has_criminal_activity",
          "business_name",
          "payout_method_cycle",
          "rtp_enabled",
          "meta");

  private static final Pattern CODE = Pattern.compile("code is ([0-9]{6})");

  private static LocalPipeline pipeline;
  private static ApiClient api;
  private static Path outbox;

  @BeforeAll
  static void start() throws Exception {
    AppConfig base = SharedKafka.config();
    outbox = base.stateDir().resolve("dots-sms-outbox.txt");
    Path reference = base.stateDir().resolve("dots-reference-tins.csv");
    Files.createDirectories(reference.getParent());
    Files.writeString(reference, "tin,type,name\n521438765,ssn,Bob Loblaw\n");
    AppConfig config =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, "0")
                .with(Projections.OFAC_FIRST_VERDICT_WAIT, "PT10S")
                .with(Projections.PLATFORMS, PlatformDirectory.entry("dots-app", "dots", "key"))
                .with(UserCommandService.SMS_OUTBOX_FILE, outbox.toString())
                .with("TIN_REFERENCE_FILE", reference.toString())
                .with("TIN_PROVIDER_LATENCY", "PT0S")
                .with("TIN_PROVIDER_SLOW_FRACTION", "0"),
            base.stateDir());
    pipeline = TestPipelines.startOnSharedBroker(config);
    api = new ApiClient(pipeline.baseUrl(), "dots", "key");
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void aUserIsCreatedVerifiedGivenAW9AndAnAchAccountAndListedByStatus() throws Exception {
    JsonNode steps;
    try (var in = DotsExamplesTest.class.getResourceAsStream("/dots/examples.json")) {
      steps = Json.mapper().readTree(in);
    }
    String phone = TestPhones.next();
    String userId = null;
    Map<String, JsonNode> answers = new HashMap<>();
    for (JsonNode step : steps) {
      String name = step.get("step").asText();
      assertTrue(step.get("url").asText().startsWith("https://docs.dots.dev/"), name);
      JsonNode body = step.get("body").isNull() ? null : step.get("body").deepCopy();
      switch (name) {
        case "create" -> ((ObjectNode) body).put("phone_number", phone);
        case "verify" -> ((ObjectNode) body).put("token", awaitCode(phone));
        case "w9" -> {
          var w9 = (ObjectNode) body.get("w9");
          fillPlaceholders(w9);
          w9.put("first_name", "Bob").put("last_name", "Loblaw").put("tin", "521438765");
          w9.put("date_of_birth", "1980-02-29");
          ((ObjectNode) w9.get("address")).put("country", "US").put("state", "CA");
        }
        case "ach" -> ((ObjectNode) body).put("routing_number", "021000021");
        default -> {}
      }
      String path = step.get("path").asText().replace("{user_id}", String.valueOf(userId));
      var answer =
          api.send(
              step.get("method").asText(),
              path,
              body == null ? null : Json.mapper().writeValueAsString(body));
      assertEquals(step.get("status").asInt(), answer.status(), name + ": " + answer.raw().body());
      if (name.equals("create")) {
        userId = answer.json().get("id").asText();
      }
      if (step.has("answer")) {
        var missing = new ArrayList<String>();
        sameShape(step.get("answer"), answer.json(), name, missing);
        assertEquals(List.of(), missing, step.get("answer_url").asText());
      }
      assertFalse(answer.raw().body().contains("123456789"), "no account number: " + name);
      answers.put(name, answer.json());
    }
    JsonNode listed = answers.get("list").get("data");
    boolean found = false;
    for (JsonNode u : listed) {
      assertEquals("verified", u.get("status").asText(), u.toString());
      found |= u.get("id").asText().equals(userId);
    }
    assertTrue(found, "the verified user is listed: " + listed);
    var unverified = api.get("/v2/users?status=unverified&limit=100").json().get("data");
    for (JsonNode u : unverified) {
      assertFalse(u.get("id").asText().equals(userId), "filtered out: " + u);
    }
    JsonNode user = api.get("/v2/users/" + userId).json();
    assertEquals("ach", user.get("default_payout_method").asText());
    assertEquals("****6789", user.at("/default_payout_method_details/mask").asText());
    assertTrue(user.at("/compliance/tax_id_collected").asBoolean());
  }

  @Test
  void aDeletionAnswersTheUserAndItsRetryTheDecidedCommand() {
    var created =
        api.post(
            "/v2/users",
            """
            {"email":"del@example.com","country_code":"1","phone_number":"%s",
             "first_name":"Del","last_name":"Etion"}"""
                .formatted(TestPhones.next()));
    assertEquals(200, created.status(), created.raw().body());
    String id = created.json().get("id").asText();
    var deleted = api.send("DELETE", "/v2/users/" + id, null, "Idempotency-Key", "del-" + id);
    assertEquals(200, deleted.status(), deleted.raw().body());
    assertEquals(id, deleted.json().get("id").asText());
    assertEquals("Del", deleted.json().get("first_name").asText(), "Dots answers the user");
    var retried = api.send("DELETE", "/v2/users/" + id, null, "Idempotency-Key", "del-" + id);
    assertEquals(200, retried.status(), retried.raw().body());
    assertEquals("accepted", retried.json().get("status").asText(), retried.raw().body());
    assertEquals(404, api.get("/v2/users/" + id).status());
  }

  @Test
  void metadataAsAStringIsTakenAndAnsweredAsTheString() {
    var created =
        api.post(
            "/v2/users",
            """
            {"email":"meta@example.com","country_code":"1","phone_number":"%s",
             "first_name":"Meta","last_name":"Data","metadata":"customer 42"}"""
                .formatted(TestPhones.next()));
    assertEquals(200, created.status(), created.raw().body());
    assertEquals("customer 42", created.json().get("metadata").asText(), created.raw().body());
    String id = created.json().get("id").asText();
    assertEquals("customer 42", api.get("/v2/users/" + id).json().get("metadata").asText());
    var tooLong =
        api.send("PATCH", "/v2/users/" + id, "{\"metadata\":\"" + "x".repeat(501) + "\"}");
    assertEquals(400, tooLong.status(), tooLong.raw().body());
    assertEquals("metadata", tooLong.json().at("/error/fields/0/field").asText());
  }

  @Test
  void theListRefusesAStatusDotsDoesNotHave() {
    var refused = api.get("/v2/users?status=active");
    assertEquals(400, refused.status(), refused.raw().body());
    assertEquals("status", refused.json().at("/error/fields/0/field").asText());
  }

  /** Every field of Dots' example answer is in ours, of the same JSON type (null allowed). */
  private static void sameShape(JsonNode dots, JsonNode ours, String where, List<String> missing) {
    if (dots.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = dots.fields(); it.hasNext(); ) {
        var field = it.next();
        if (NOT_APPLICABLE.contains(field.getKey())) {
          continue;
        }
        String at = where + "." + field.getKey();
        if (ours == null || !ours.has(field.getKey())) {
          missing.add(at + " is missing");
        } else if (field.getKey().equals("metadata")) {
          // Dots: a string, an object or null; answered as the platform sent it
          if (!(ours.get("metadata").isTextual() || ours.get("metadata").isObject())) {
            missing.add(at + " is " + ours.get("metadata").getNodeType());
          }
        } else {
          sameShape(field.getValue(), ours.get(field.getKey()), at, missing);
        }
      }
    } else if (dots.isArray()) {
      if (!ours.isArray()) {
        missing.add(where + " is not an array");
      } else if (!dots.isEmpty()) {
        for (JsonNode item : ours) {
          sameShape(dots.get(0), item, where + "[]", missing);
        }
      }
    } else if (!ours.isNull() && ours.getNodeType() != dots.getNodeType()) {
      missing.add(where + " is " + ours.getNodeType() + ", Dots' is " + dots.getNodeType());
    }
  }

  private static void fillPlaceholders(ObjectNode node) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var field = it.next();
      if (field.getValue().isObject()) {
        fillPlaceholders((ObjectNode) field.getValue());
      } else if ("<string>".equals(field.getValue().asText())) {
        field.setValue(
            Json.mapper()
                .getNodeFactory()
                .textNode(field.getKey().equals("postcode") ? "94103" : "Main " + field.getKey()));
      }
    }
  }

  private static String awaitCode(String phone) throws Exception {
    for (int i = 0; i < 300; i++) {
      if (Files.exists(outbox)) {
        String found = null;
        for (String line : Files.readString(outbox).split("\n")) {
          Matcher m = CODE.matcher(line);
          if (line.contains("+1" + phone) && m.find()) {
            found = m.group(1);
          }
        }
        if (found != null) {
          return found;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no text to " + phone);
  }
}
