package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.tin.TinVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * TIN submission and verification end to end: the pipeline with the reference provider (fast, a
 * data file of known TIN/name pairs), tin-verifier run beside it so it can be stopped and
 * restarted, and, at the end, a scan of every topic, state directory and log line for the TINs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TinVerificationTest {

  static final String ADA_SSN = "521-43-8765";
  static final String GRACE_ITIN = "912-74-3210";
  static final String ENGINES_EIN = "41-7654321";

  private static LocalPipeline pipeline;
  private static AppConfig config;
  private static TinVerifier verifier;
  private static ApiClient api;

  @BeforeAll
  static void start() throws IOException {
    AppConfig base = SharedKafka.config();
    Path reference = base.stateDir().resolve("reference-tins.csv");
    Files.createDirectories(reference.getParent());
    Files.writeString(
        reference,
        "tin,type,name\n"
            + "521438765,ssn,Ada Lovelace\n"
            + "912743210,itin,Grace Hopper\n"
            + "417654321,ein,Analytical Engines LLC\n");
    config =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, "0")
                .with(
                    Projections.PLATFORMS, PlatformDirectory.entry("tin-platform", "client", "key"))
                .with(LocalPipeline.LOCAL_SERVICES, "user-command-service,projections")
                .with("TIN_REFERENCE_FILE", reference.toString())
                .with("TIN_PROVIDER_LATENCY", "PT0S")
                .with("TIN_PROVIDER_SLOW_FRACTION", "0")
                .with("TIN_REQUEST_TIMEOUT", "PT2S"),
            base.stateDir());
    pipeline = TestPipelines.startOnSharedBroker(config);
    verifier = startVerifier(config);
    api = new ApiClient(pipeline.baseUrl(), "client", "key");
  }

  private static TinVerifier startVerifier(AppConfig c) {
    var v = TinVerifier.create(c);
    v.start(Duration.ofSeconds(60));
    return v;
  }

  @AfterAll
  static void stop() {
    if (verifier != null) {
      verifier.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static String newUser() {
    String phone = TestPhones.next();
    var answer =
        api.post(
            "/v2/users",
            """
            {"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com",
             "country_code":"1","phone_number":"%s"}"""
                .formatted(phone));
    assertEquals(200, answer.status(), answer.raw().body());
    return answer.json().get("id").asText();
  }

  private static ApiClient.Answer submitW9(String userId, String first, String last, String tin) {
    return api.send(
        "PUT",
        "/v2/users/" + userId + "/compliance",
        """
        {"w9":{"entity_type":"individual","first_name":"%s","last_name":"%s","tin":"%s",
               "address":{"line_1":"12 St James's Square","city":"London","postcode":"SW1Y 4JH","country":"GB"}}}"""
            .formatted(first, last, tin));
  }

  private static String awaitStatus(String userId, String expected) {
    String status = null;
    for (int i = 0; i < 300; i++) {
      JsonNode user = api.get("/v2/users/" + userId).json();
      status = user.at("/compliance/w9/tax_id_verification").asText();
      if (status.equals(expected)) {
        return status;
      }
      sleep(100);
    }
    return status;
  }

  @Test
  void aSubmittedTinIsPendingThenMatchedAndOnlyItsLastFourDigitsAreShown() {
    String id = newUser();
    assertEquals(
        "unsubmitted",
        api.get("/v2/users/" + id).json().at("/compliance/w9/tax_id_verification").asText());
    var submitted = submitW9(id, "Ada", "Lovelace", ADA_SSN);
    assertEquals(200, submitted.status(), submitted.raw().body());
    assertEquals("8765", submitted.json().at("/compliance/tin_last4").asText());
    assertTrue(submitted.json().at("/compliance/tax_id_collected").asBoolean());
    assertFalse(submitted.raw().body().contains("521438765"));
    assertFalse(submitted.raw().body().contains(ADA_SSN));

    assertEquals("matched", awaitStatus(id, "matched"));
  }

  @Test
  void subscribersSeeTheUserAndEachTinStatusChangeOnTheComplianceEvents() throws Exception {
    String id = newUser();
    submitW9(id, "Ada", "Lovelace", ADA_SSN);
    assertEquals("matched", awaitStatus(id, "matched"));

    var out = new java.io.ByteArrayOutputStream();
    io.userpipe.projections.cli.ComplianceTail.tail(
        config,
        new io.userpipe.projections.cli.ComplianceTail.Options(true, id, null, 3),
        new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
    var lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
    assertEquals(3, lines.length, out.toString(StandardCharsets.UTF_8));
    assertTrue(lines[0].contains("\"type\":\"user_created\""), lines[0]);
    assertTrue(lines[1].contains("\"new_status\":\"pending\""), lines[1]);
    assertTrue(
        lines[2].contains("\"previous_status\":\"pending\"")
            && lines[2].contains("\"new_status\":\"matched\""),
        lines[2]);
    assertTrue(lines[2].contains("\"irs_code\":\"0\""), lines[2]);
  }

  @Test
  void aWrongNameIsMismatchedAndAResubmissionMatches() {
    String id = newUser();
    submitW9(id, "Ada", "Byron", ADA_SSN);
    assertEquals("mismatched", awaitStatus(id, "mismatched"));
    submitW9(id, "Ada", "Lovelace", ADA_SSN);
    assertEquals("matched", awaitStatus(id, "matched"));
  }

  @Test
  void structurallyInvalidTinsAreRefusedNamingTheRule() {
    String id = newUser();
    var badArea = submitW9(id, "Ada", "Lovelace", "666-12-3456");
    assertEquals(400, badArea.status());
    assertEquals("w9.tin", badArea.json().at("/error/fields/0/field").asText());
    assertTrue(badArea.json().at("/error/message").asText().contains("666"));
    assertFalse(badArea.raw().body().contains("666123456"));
    assertEquals(400, submitW9(id, "Ada", "Lovelace", "12345").status());
    var businessWithSsn =
        api.send(
            "PUT",
            "/v2/users/" + id + "/compliance",
            "{\"w9\":{\"entity_type\":\"business\",\"business_name\":\"X\",\"tin\":\"521-43-8765\",\"tin_type\":\"ssn\"}}");
    assertEquals("w9.tin_type", businessWithSsn.json().at("/error/fields/0/field").asText());
    assertEquals(400, api.send("PUT", "/v2/users/" + id + "/compliance", "{}").status());
  }

  @Test
  void aBusinessEinAndAnItinVerify() {
    String business = newUser();
    var ein =
        api.post(
            "/v2/users/" + business + "/compliance",
            "{\"w9\":{\"entity_type\":\"business\",\"business_name\":\"Analytical Engines LLC\",\"tin\":\""
                + ENGINES_EIN
                + "\"}}");
    assertEquals(200, ein.status(), ein.raw().body());
    assertEquals("business", ein.json().at("/compliance/w9/entity_type").asText());
    assertEquals("matched", awaitStatus(business, "matched"));

    String person = newUser();
    submitW9(person, "Grace", "Hopper", GRACE_ITIN);
    assertEquals("matched", awaitStatus(person, "matched"));
  }

  @Test
  void aW8BenIsCollected() {
    String id = newUser();
    var answer =
        api.post(
            "/v2/users/" + id + "/compliance",
            """
            {"w8ben":{"name":"Ada Lovelace","citizenship_country":"GB","foreign_tax_id":"AB123456C",
                      "signature":{"name":"Ada Lovelace","consent":true}}}""");
    assertEquals(200, answer.status(), answer.raw().body());
    assertTrue(answer.json().at("/compliance/w8_ben_collected").asBoolean());
  }

  @Test
  void verificationsPendingWhenTheVerifierStopsFinishAfterItRestarts() {
    verifier.close();
    String id = newUser();
    submitW9(id, "Ada", "Lovelace", ADA_SSN);
    assertEquals(
        "pending",
        api.get("/v2/users/" + id).json().at("/compliance/w9/tax_id_verification").asText());
    sleep(1000);
    assertEquals(
        "pending",
        api.get("/v2/users/" + id).json().at("/compliance/w9/tax_id_verification").asText());
    verifier = startVerifier(config);
    assertEquals("matched", awaitStatus(id, "matched"));
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void noSubmittedTinAppearsInTheClearOnAnyTopicStateDirectoryOrLogLine() throws Exception {
    // the provider's own data file stands in for the IRS
    PlaintextScan.assertNowhere(
        submittedTins(),
        "a TIN",
        SharedKafka.bootstrapServers(),
        java.util.List.of(config.stateDir(), TestLogs.thisFork()),
        java.util.Set.of("reference-tins.csv"));
  }

  /** Every TIN this class submits, in every form it could leak in. */
  static PlaintextScan.Secrets submittedTins() {
    return PlaintextScan.anyOf(
        Stream.of(ADA_SSN, GRACE_ITIN, ENGINES_EIN, "666-12-3456")
            .flatMap(t -> Stream.of(t, t.replace("-", ""))));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
