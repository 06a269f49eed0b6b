package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.ofac.match.MatcherVersion;
import io.userpipe.projections.Projections;
import io.userpipe.projections.rebuild.ReplayBoundary;
import io.userpipe.projections.rebuild.ReplayGate;
import io.userpipe.projections.rebuild.ReplayProgress;
import io.userpipe.projections.rebuild.ViewRebuild;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compliance history a regulator could ask for, end to end: a listed person screened,
 * ID-verified by the platform and cleared by a named reviewer, and a TIN verified; the history
 * lists each change with its actor and evidence, {@code as_of} answers the statuses in force at an
 * instant, another platform gets 404, and after a view rebuild every answer is the same.
 */
class ComplianceHistoryTest {

  private static final String SSN = "521-43-8765";

  private AppConfig config;
  private LocalPipeline pipeline;
  private ApiClient api;
  private ApiClient other;
  private TestOperators.Operator reviewer;

  @BeforeEach
  void start() throws Exception {
    AppConfig base = SharedKafka.config();
    Path reference = base.stateDir().resolve("history-reference-tins.csv");
    Files.createDirectories(reference.getParent());
    Files.writeString(reference, "tin,type,name\n521438765,ssn,Nicolas Maduro Moros\n");
    config =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, "0")
                .with(Projections.OFAC_FIRST_VERDICT_WAIT, "PT10S")
                .with(
                    Projections.PLATFORMS,
                    PlatformDirectory.entry("history-platform", "history", "key")
                        + ","
                        + PlatformDirectory.entry("history-other", "history-other", "key-o"))
                .with("TIN_REFERENCE_FILE", reference.toString())
                .with("TIN_PROVIDER_LATENCY", "PT0S")
                .with("TIN_PROVIDER_SLOW_FRACTION", "0"),
            base.stateDir());
    startPipeline();
    reviewer = TestOperators.add(config, pipeline.baseUrl(), "history-reviewer");
  }

  private void startPipeline() {
    pipeline = LocalPipeline.start(config);
    api = new ApiClient(pipeline.baseUrl(), "history", "key");
    other = new ApiClient(pipeline.baseUrl(), "history-other", "key-o");
  }

  @AfterEach
  void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void theHistoryListsEveryChangeWithItsActorAnswersAsOfAndSurvivesARebuild() throws Exception {
    Instant beforeAll = Instant.now().minusSeconds(1);
    var created =
        api.post(
            "/v2/users",
            """
            {"first_name":"Nicolas","last_name":"Maduro Moros","email":"h%s@example.com",
             "country_code":"1","phone_number":"%s","date_of_birth":"1962-11-23"}"""
                .formatted(System.nanoTime(), TestPhones.next()));
    assertEquals(200, created.status(), created.raw().body());
    String id = created.json().get("id").asText();
    assertEquals(
        "id_verification_required",
        created.json().at("/compliance/flags/ofac_status").asText(),
        created.raw().body());

    var w9 =
        api.decided(
            api.send(
                "PUT",
                "/v2/users/" + id + "/compliance",
                """
                {"w9":{"entity_type":"individual","first_name":"Nicolas",
                       "last_name":"Maduro Moros","tin":"%s"}}"""
                    .formatted(SSN)));
    assertEquals(200, w9.status(), w9.raw().body());
    awaitUser(id, u -> u.at("/compliance/w9/tax_id_verification").asText().equals("matched"));

    var verified =
        api.post(
            "/v2/users/" + id + "/id-verification",
            "{\"provider\":\"acme-kyc\",\"reference\":\"k-1\"}");
    assertEquals(200, verified.status(), verified.raw().body());
    var cleared =
        reviewer
            .client()
            .post(
                "/admin/users/" + id + "/ofac-review",
                "{\"decision\":\"clear\",\"note\":\"passport: another person\"}");
    assertEquals(200, cleared.status(), cleared.raw().body());
    assertEquals(
        "unflagged",
        cleared.json().at("/compliance/flags/ofac_status").asText(),
        cleared.raw().body());

    // every change, oldest first, with its actor
    JsonNode history = awaitHistory(id, h -> h.get("data").size() == 5);
    List<JsonNode> changes = new ArrayList<>();
    history.get("data").forEach(changes::add);
    assertFalse(history.get("has_more").asBoolean());
    for (int i = 1; i < changes.size(); i++) {
      assertFalse(occurred(changes.get(i)).isBefore(occurred(changes.get(i - 1))), "oldest first");
    }
    List<JsonNode> ofac = ofKind(changes, "ofac");
    assertEquals(
        List.of("id_verification_required", "in_review", "unflagged"),
        ofac.stream().map(c -> c.get("status").asText()).toList(),
        history.toString());
    assertEquals(
        List.of("screening", "platform", "reviewer"),
        ofac.stream().map(c -> c.at("/actor/type").asText()).toList());
    assertEquals(reviewer.id(), ofac.get(2).at("/actor/reviewer").asText());
    JsonNode match = ofac.get(0).at("/ofac/matches/0");
    assertEquals(22790, match.get("ent_num").asInt(), history.toString());
    assertEquals("MADURO MOROS, Nicolas", match.get("sdn_name").asText());
    assertTrue(match.get("programs").toString().contains("VENEZUELA"), match.toString());
    assertFalse(ofac.get(0).at("/ofac/list_version").asText().isEmpty());
    // the matcher that found the evidence, on every OFAC change, and how each listed token matched
    for (JsonNode c : ofac) {
      assertEquals(MatcherVersion.CURRENT, c.at("/ofac/matcher_version").asText(), c.toString());
    }
    Map<String, String> tokens = new TreeMap<>();
    match
        .get("tokens")
        .forEach(t -> tokens.put(t.get("listed_token").asText(), t.get("how").asText()));
    assertEquals(
        Map.of("maduro", "exact", "moros", "exact", "nicolas", "exact"), tokens, match.toString());
    List<JsonNode> tin = ofKind(changes, "tin");
    assertEquals(
        List.of("pending", "matched"), tin.stream().map(c -> c.get("status").asText()).toList());
    assertEquals(
        List.of("platform", "tin_matching"),
        tin.stream().map(c -> c.at("/actor/type").asText()).toList());
    assertEquals(0, tin.get(1).at("/tin/irs_code").asInt());
    String body = history.toString();
    assertFalse(body.contains("521438765") || body.contains(SSN), "no TIN in the history");
    assertFalse(body.contains("history-platform"), "no platform id in the history");
    assertFalse(body.contains("passport"), "no reviewer's note for a platform");

    // the same list, paged
    var firstTwo = api.get("/v2/users/" + id + "/compliance/history?limit=2");
    assertEquals(200, firstTwo.status(), firstTwo.raw().body());
    assertTrue(firstTwo.json().get("has_more").asBoolean());
    String cursor = firstTwo.json().at("/data/1/id").asText();
    var rest = api.get("/v2/users/" + id + "/compliance/history?limit=10&starting_after=" + cursor);
    assertEquals(changes.get(2).get("id"), rest.json().at("/data/0/id"), rest.raw().body());
    assertEquals(3, rest.json().get("data").size());

    // as_of: before the first screening, between ID verification and review, now
    JsonNode none = asOf(id, beforeAll);
    assertTrue(none.get("ofac").isNull(), none.toString());
    assertTrue(none.get("tin").isNull(), none.toString());
    Instant inReview = occurred(ofac.get(1));
    Instant beforeReview = occurred(ofac.get(2)).minusMillis(1);
    JsonNode waiting = asOf(id, beforeReview.isBefore(inReview) ? inReview : beforeReview);
    assertEquals("in_review", waiting.at("/ofac/status").asText(), waiting.toString());
    assertEquals(ofac.get(1).get("id"), waiting.at("/ofac/set_by/id"));
    assertEquals("matched", waiting.at("/tin/status").asText(), waiting.toString());
    JsonNode beforeVerification = asOf(id, inReview.minusMillis(1));
    assertEquals(
        "id_verification_required",
        beforeVerification.at("/ofac/status").asText(),
        beforeVerification.toString());
    JsonNode now = asOf(id, Instant.now());
    assertEquals("unflagged", now.at("/ofac/status").asText(), now.toString());
    assertEquals("reviewer", now.at("/ofac/set_by/actor/type").asText());
    assertEquals(tin.get(1).get("id"), now.at("/tin/set_by/id"));
    assertEquals(400, api.get("/v2/users/" + id + "/compliance/history?as_of=3%20March").status());

    // another platform: the person does not exist for it
    assertEquals(404, other.get("/v2/users/" + id + "/compliance/history").status());
    assertEquals(
        404, other.get("/v2/users/" + id + "/compliance/history?as_of=" + Instant.now()).status());

    Map<String, String> live = answers(id, changes);

    // a view rebuild folds the history again from the event log: the same answers
    pipeline.close();
    pipeline = null;
    var rebuild = new ViewRebuild(config, Projections.NAME, Clock.systemUTC());
    ReplayBoundary boundary = rebuild.reset(line -> {});
    startPipeline();
    String group = config.appIdPrefix() + Projections.NAME;
    try (var progress = new ReplayProgress(config, group, boundary)) {
      var done =
          progress.follow(
              Duration.ofMillis(200),
              Duration.ofMillis(200),
              Duration.ofSeconds(120),
              ReplayGate.open(),
              line -> {});
      assertTrue(done.complete());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (api.get("/v2/users/" + id + "/compliance/history").status() == 503) {
      assertTrue(System.nanoTime() < deadline, "the views stayed closed after the replay");
      Thread.sleep(100);
    }
    assertEquals(live, answers(id, changes));
  }

  /** The history and an as_of answer at, and just before, each change. */
  private Map<String, String> answers(String id, List<JsonNode> changes) {
    Map<String, String> out = new LinkedHashMap<>();
    var all = api.get("/v2/users/" + id + "/compliance/history?limit=100");
    out.put("history", all.status() + " " + all.raw().body());
    for (JsonNode change : changes) {
      Instant at = occurred(change);
      out.put("at " + at, asOf(id, at).toString());
      out.put("before " + at, asOf(id, at.minusMillis(1)).toString());
    }
    out.put("other", String.valueOf(other.get("/v2/users/" + id + "/compliance/history").status()));
    return out;
  }

  private JsonNode asOf(String id, Instant at) {
    var answer = api.get("/v2/users/" + id + "/compliance/history?as_of=" + at);
    assertEquals(200, answer.status(), answer.raw().body());
    assertEquals(at, Instant.parse(answer.json().get("as_of").asText()));
    return answer.json();
  }

  private static Instant occurred(JsonNode change) {
    return Instant.parse(change.get("occurred_at").asText());
  }

  private static List<JsonNode> ofKind(List<JsonNode> changes, String kind) {
    return changes.stream().filter(c -> c.get("type").asText().equals(kind)).toList();
  }

  private JsonNode awaitHistory(String id, Predicate<JsonNode> condition)
      throws InterruptedException {
    JsonNode seen = null;
    for (int i = 0; i < 300; i++) {
      var answer = api.get("/v2/users/" + id + "/compliance/history?limit=100");
      if (answer.status() == 200) {
        seen = answer.json();
        if (condition.test(seen)) {
          return seen;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("history of " + id + " never got there: " + seen);
  }

  private void awaitUser(String id, Predicate<JsonNode> condition) throws InterruptedException {
    JsonNode seen = null;
    for (int i = 0; i < 300; i++) {
      var answer = api.get("/v2/users/" + id);
      if (answer.status() == 200) {
        seen = answer.json();
        if (condition.test(seen)) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("user " + id + " never got there: " + seen);
  }
}
