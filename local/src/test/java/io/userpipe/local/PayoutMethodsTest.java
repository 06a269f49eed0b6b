package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.projections.Projections;
import io.userpipe.projections.cli.ComplianceTail;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Payout methods end to end on the embedded broker with every processor: added, listed, made the
 * default and removed over HTTP; invalid and duplicate ones refused naming the field; payability; a
 * user flagged by OFAC refused; and no account number in the clear anywhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayoutMethodsTest {

  private static final String ROUTING = "021000021";
  private static final String ACCOUNT = "730194628";
  private static final String OTHER_ACCOUNT = "5501937264";
  private static final String SHORT_ACCOUNT = "4821";

  private static AppConfig config;
  private static LocalPipeline pipeline;
  private static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    AppConfig base = SharedKafka.config();
    Path reference = base.stateDir().resolve("reference-tins.csv");
    Files.createDirectories(reference.getParent());
    Files.writeString(reference, "tin,type,name\n521438765,ssn,Ada Lovelace\n");
    config =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, "0")
                .with(Projections.OFAC_FIRST_VERDICT_WAIT, "PT10S")
                .with(
                    Projections.PLATFORMS,
                    PlatformDirectory.entry("payout-platform", "payout", "key"))
                .with("TIN_REFERENCE_FILE", reference.toString())
                .with("TIN_PROVIDER_LATENCY", "PT0S")
                .with("TIN_PROVIDER_SLOW_FRACTION", "0"),
            base.stateDir());
    pipeline = TestPipelines.startOnSharedBroker(config);
    api = new ApiClient(pipeline.baseUrl(), "payout", "key");
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static String create(String first, String last, String dob) {
    var answer =
        api.post(
            "/v2/users",
            """
            {"first_name":"%s","last_name":"%s","email":"p%s@example.com",
             "country_code":"1","phone_number":"%s","date_of_birth":"%s"}"""
                .formatted(first, last, System.nanoTime(), TestPhones.next(), dob));
    assertEquals(200, answer.status(), answer.raw().body());
    return answer.json().get("id").asText();
  }

  /** Dots' add: PUT with a flat body. */
  private static ApiClient.Answer addAch(String userId, String routing, String account) {
    return add(
        userId,
        """
        {"platform":"ach","routing_number":"%s","account_number":"%s","account_type":"checking"}"""
            .formatted(routing, account));
  }

  private static ApiClient.Answer add(String userId, String body) {
    return api.send("PUT", "/v2/users/" + userId + "/payout-methods", body);
  }

  private static JsonNode user(String id) {
    var answer = api.get("/v2/users/" + id);
    assertEquals(200, answer.status(), answer.raw().body());
    return answer.json();
  }

  private static void await(String id, Predicate<JsonNode> condition) throws InterruptedException {
    JsonNode seen = null;
    for (int i = 0; i < 300; i++) {
      seen = user(id);
      if (condition.test(seen)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("user " + id + " never got there: " + seen);
  }

  private static String field(ApiClient.Answer answer) {
    return answer.json().at("/error/fields/0/field").asText();
  }

  @Test
  @Order(1)
  void anAchAccountAndAPaypalHandleAreAddedListedMadeDefaultAndRemoved() throws Exception {
    String id = create("Ada", "Lovelace", "1990-12-10");

    var ach = addAch(id, ROUTING, ACCOUNT);
    assertEquals(200, ach.status(), ach.raw().body());
    assertEquals("ach", ach.json().get("platform").asText());
    assertEquals("****4628", ach.json().get("mask").asText());
    assertEquals("checking", ach.json().get("account_type").asText());
    assertEquals("US", ach.json().get("country").asText());
    assertEquals("USD", ach.json().get("currency").asText());
    assertTrue(ach.json().get("default").asBoolean(), "the first method is the default");
    assertFalse(ach.raw().body().contains(ACCOUNT));
    assertFalse(ach.raw().body().contains(ROUTING), "no routing number either");
    assertTrue(ach.json().path("account_number").isMissingNode());
    assertTrue(ach.json().path("routing_number").isMissingNode());
    String achId = ach.json().get("id").asText();

    var paypal = add(id, "{\"platform\":\"paypal\",\"email\":\"ada@example.com\"}");
    assertEquals(200, paypal.status(), paypal.raw().body());
    assertEquals("a***@example.com", paypal.json().get("mask").asText());
    assertFalse(paypal.json().get("default").asBoolean());
    String paypalId = paypal.json().get("id").asText();

    var list = api.get("/v2/users/" + id + "/payout-methods");
    assertEquals(200, list.status(), list.raw().body());
    assertEquals(2, list.json().size(), "Dots' list is a bare array");

    JsonNode view = user(id);
    assertEquals("ach", view.get("default_payout_method").asText(), "Dots names the kind");
    assertEquals("ach", view.at("/default_payout_method_details/platform").asText());
    assertEquals(achId, view.at("/default_payout_method_details/id").asText());
    assertEquals("****4628", view.at("/default_payout_method_details/mask").asText());
    assertFalse(view.at("/compliance/flags/payout_method").asBoolean());

    var switched = api.send("PATCH", "/v2/users/" + id, "{\"default_payout_method\":\"paypal\"}");
    assertEquals(200, switched.status(), switched.raw().body());
    assertEquals("paypal", switched.json().get("default_payout_method").asText());
    assertEquals(paypalId, switched.json().at("/default_payout_method_details/id").asText());

    var unknown = api.send("PATCH", "/v2/users/" + id, "{\"default_payout_method\":\"venmo\"}");
    assertEquals(400, unknown.status(), unknown.raw().body());
    assertEquals("default_payout_method", field(unknown));

    // one method per kind: a second ACH account replaces the first
    var replaced = addAch(id, ROUTING, OTHER_ACCOUNT);
    assertEquals(200, replaced.status(), replaced.raw().body());
    String newAchId = replaced.json().get("id").asText();
    assertFalse(newAchId.equals(achId));
    var kinds = api.get("/v2/users/" + id + "/payout-methods").json();
    assertEquals(2, kinds.size(), kinds.toString());

    var removed = api.send("DELETE", "/v2/users/" + id + "/payout-methods/" + paypalId, null);
    assertEquals(200, removed.status(), removed.raw().body());
    var after = api.get("/v2/users/" + id + "/payout-methods");
    assertEquals(1, after.json().size());
    assertEquals(newAchId, after.json().at("/0/id").asText());
    view = user(id);
    assertTrue(view.get("default_payout_method").isNull(), "the default was removed");
    assertTrue(view.at("/compliance/flags/payout_method").asBoolean(), "flagged: no default");
    assertTrue(
        view.get("unpayable_reasons").toString().contains("no_payout_method"), view.toString());
    assertEquals(
        404, api.send("DELETE", "/v2/users/" + id + "/payout-methods/" + paypalId, null).status());

    List<String> types = new ArrayList<>();
    for (String line : complianceEvents(id, 10)) {
      types.add(io.userpipe.runtime.http.Json.mapper().readTree(line).get("type").asText());
    }
    assertEquals(
        List.of(
            "user_created",
            "ofac_status_changed",
            "payout_method_added",
            "default_payout_method_changed",
            "payout_method_added",
            "default_payout_method_changed",
            "payout_method_removed",
            "payout_method_added",
            "payout_method_removed",
            "default_payout_method_changed"),
        types);
  }

  @Test
  @Order(2)
  void invalidMethodsAreRefusedNamingTheFieldAndTheReason() {
    String id = create("Ada", "Lovelace", "1990-12-10");
    var checksum = addAch(id, "021000022", OTHER_ACCOUNT);
    assertEquals(400, checksum.status(), checksum.raw().body());
    assertEquals("routing_number", field(checksum));
    assertTrue(checksum.raw().body().contains("checksum"), checksum.raw().body());

    var unassigned = addAch(id, "130000006", OTHER_ACCOUNT);
    assertEquals(400, unassigned.status());
    assertTrue(unassigned.raw().body().contains("not an assigned ACH range"));

    var shortAccount = addAch(id, ROUTING, "123");
    assertEquals(400, shortAccount.status());
    assertEquals("account_number", field(shortAccount));
    assertFalse(shortAccount.raw().body().contains("\"123\""), "the number is not echoed");

    var missing = add(id, "{\"platform\":\"ach\"}");
    assertEquals(400, missing.status());
    assertEquals("account_number", field(missing));
    var kind = add(id, "{\"platform\":\"wire\"}");
    assertEquals(400, kind.status());
    assertEquals("platform", field(kind));
    var cashtag = add(id, "{\"platform\":\"cash_app\",\"cash_tag\":\"$123\"}");
    assertEquals(400, cashtag.status());
    assertEquals("cash_tag", field(cashtag));
    var venmo = add(id, "{\"platform\":\"venmo\",\"phone_number\":\"12\"}");
    assertEquals(400, venmo.status());
    assertEquals("phone_number", field(venmo));
    var old = api.post("/v2/users/" + id + "/payout-methods", "{\"type\":\"ach\",\"ach\":{}}");
    assertEquals(405, old.status(), "the old POST shape is gone: " + old.raw().body());

    var first = addAch(id, ROUTING, OTHER_ACCOUNT);
    assertEquals(200, first.status());
    var again = addAch(id, ROUTING, OTHER_ACCOUNT);
    assertEquals(200, again.status(), again.raw().body());
    assertEquals(
        first.json().get("id"), again.json().get("id"), "the same account again: no change");
    assertFalse(again.raw().body().contains(OTHER_ACCOUNT));

    var shortOne = addAch(id, ROUTING, SHORT_ACCOUNT);
    assertEquals(200, shortOne.status(), shortOne.raw().body());
    assertEquals("****21", shortOne.json().get("mask").asText());
  }

  @Test
  @Order(3)
  void aUserIsPayableOnlyWithEveryCheckPassedAndSaysWhatIsMissing() throws Exception {
    String id = create("Ada", "Lovelace", "1990-12-10");
    JsonNode fresh = user(id);
    assertFalse(fresh.get("payable").asBoolean());
    assertEquals(
        "[\"phone_not_verified\",\"tin_not_matched\",\"no_payout_method\"]",
        fresh.get("unpayable_reasons").toString());

    var w9 =
        api.send(
            "PUT",
            "/v2/users/" + id + "/compliance",
            """
            {"w9":{"entity_type":"individual","first_name":"Ada","last_name":"Lovelace",
                   "tin":"521-43-8765","address":{"line_1":"12 St James's Square",
                   "city":"London","postcode":"SW1Y 4JH","country":"GB"}}}""");
    assertEquals(200, w9.status(), w9.raw().body());
    assertEquals("London", w9.json().at("/address/city").asText(), "the form's address is kept");
    assertFalse(w9.raw().body().contains("521438765"));
    await(id, u -> u.at("/compliance/tax_id_verification").asText().equals("matched"));
    assertTrue(user(id).at("/compliance/address_collected").asBoolean());
    assertTrue(user(id).at("/compliance/1099_collected").asBoolean());
    assertEquals(200, addAch(id, "322271627", "99120034").status());
    JsonNode ready = user(id);
    assertEquals("[\"phone_not_verified\"]", ready.get("unpayable_reasons").toString());
    assertEquals("London", ready.at("/address/city").asText());
  }

  @Test
  @Order(4)
  void aUserFlaggedOnTheSanctionsListCannotAddPayoutMethods() throws Exception {
    String id = create("Nicolas", "Maduro Moros", "1962-11-23");
    var verified =
        api.post(
            "/v2/users/" + id + "/id-verification",
            "{\"provider\":\"acme-kyc\",\"reference\":\"k-9\"}");
    assertEquals(200, verified.status(), verified.raw().body());
    var confirmed =
        TestOperators.add(config, pipeline.baseUrl(), "payout-reviewer")
            .client()
            .post(
                "/admin/users/" + id + "/ofac-review",
                "{\"decision\":\"confirm\",\"reviewer\":\"r@x\",\"note\":\"a true match\"}");
    assertEquals(200, confirmed.status(), confirmed.raw().body());
    assertEquals("flagged", confirmed.json().at("/compliance/flags/ofac_status").asText());
    assertEquals("disabled", confirmed.json().get("status").asText(), "Dots' status for flagged");

    // the command service learns the status from ofac.screenings: give it the moment it takes
    ApiClient.Answer refused = null;
    for (int i = 0; i < 50; i++) {
      refused = addAch(id, ROUTING, "66120385");
      if (refused.status() != 200) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals(409, refused.status(), refused.raw().body());
    assertEquals("ofac_status", field(refused));
    assertTrue(user(id).get("unpayable_reasons").toString().contains("ofac_status_not_unflagged"));
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void noAccountNumberAppearsInTheClearOnAnyTopicStateDirectoryOrLogLine() throws Exception {
    PlaintextScan.assertNowhere(
        PlaintextScan.anyOf(Stream.of(ACCOUNT, OTHER_ACCOUNT, "99120034")),
        "an account number",
        SharedKafka.bootstrapServers(),
        List.of(config.stateDir(), TestLogs.thisFork()),
        Set.of("reference-tins.csv"));
  }

  private static List<String> complianceEvents(String userId, int count) throws Exception {
    var out = new ByteArrayOutputStream();
    ComplianceTail.tail(
        config,
        new ComplianceTail.Options(true, userId, null, count),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    return List.of(out.toString(StandardCharsets.UTF_8).trim().split("\n"));
  }
}
