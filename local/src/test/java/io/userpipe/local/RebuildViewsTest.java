package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.projections.Projections;
import io.userpipe.projections.rebuild.LocalStateMarker;
import io.userpipe.projections.rebuild.ReplayBoundary;
import io.userpipe.projections.rebuild.ReplayGate;
import io.userpipe.projections.rebuild.ReplayProgress;
import io.userpipe.projections.rebuild.ViewRebuild;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's view rebuild end to end, on the embedded broker with every processor: users in
 * many states, the pipeline stopped, projections reset, the pipeline started again; the rebuilt
 * views must equal the live ones, and no compliance event may be published twice.
 */
class RebuildViewsTest {

  private static final String ADA_SSN = "521-43-8765";

  private AppConfig config;
  private LocalPipeline pipeline;
  private ApiClient api;

  @BeforeEach
  void start() throws Exception {
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
                    PlatformDirectory.entry("rebuild-platform", "rebuild", "key"))
                .with("TIN_REFERENCE_FILE", reference.toString())
                .with("TIN_PROVIDER_LATENCY", "PT0S")
                .with("TIN_PROVIDER_SLOW_FRACTION", "0"),
            base.stateDir());
    startPipeline();
  }

  private void startPipeline() {
    pipeline = LocalPipeline.start(config);
    api = new ApiClient(pipeline.baseUrl(), "rebuild", "key");
  }

  @AfterEach
  void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void aRebuiltViewEqualsTheLiveOneAndNoComplianceEventIsPublishedTwice() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(create("Ada", "Lovelace"));
    }
    String flagged = create("Nicolas", "Maduro Moros");
    ids.add(flagged);
    submitW9(ids.get(0), "Ada", "Lovelace");
    submitW9(ids.get(1), "Ada", "Byron");
    submitW9(ids.get(2), "Ada", "Lovelace");
    var deleted = api.decided(api.send("DELETE", "/v2/users/" + ids.get(3), null));
    assertEquals(200, deleted.status(), deleted.raw().body());
    await(ids.get(0), u -> u.at("/compliance/w9/tax_id_verification").asText().equals("matched"));
    await(
        ids.get(1), u -> u.at("/compliance/w9/tax_id_verification").asText().equals("mismatched"));
    await(ids.get(2), u -> u.at("/compliance/w9/tax_id_verification").asText().equals("matched"));
    await(flagged, u -> !u.at("/compliance/flags/ofac_status").asText().equals("unflagged"));

    Map<String, String> live = views(ids);
    List<String> liveEvents = complianceEventIds(Set.copyOf(ids));
    assertEquals(liveEvents.size(), Set.copyOf(liveEvents).size(), "no duplicates to begin with");
    assertTrue(
        liveEvents.size() >= ids.size() * 2, "created and screened, at least: " + liveEvents);

    var rebuild = new ViewRebuild(config, Projections.NAME, Clock.systemUTC());
    var refused = assertThrows(IllegalStateException.class, () -> rebuild.reset(line -> {}));
    assertTrue(refused.getMessage().contains("stop every instance"), refused.getMessage());

    pipeline.close();
    pipeline = null;
    List<String> said = new ArrayList<>();
    ReplayBoundary boundary = rebuild.reset(said::add);
    assertTrue(boundary.recordsToReplay() >= liveEvents.size(), said.toString());
    // the partition this test's first user's events went to (keyed by user id, Kafka's default
    // partitioner): which one depends on the phones the fork handed out before, so never a fixed 0
    int partition =
        org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(
                    ids.get(0).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            % Topics.USER_EVENTS.partitions();
    assertTrue(
        boundary.ranges().containsKey(new TopicPartition(Topics.USER_EVENTS.name(), partition)),
        boundary.ranges().toString());

    startPipeline();
    List<String> progressLines = new ArrayList<>();
    String group = config.appIdPrefix() + Projections.NAME;
    try (var progress = new ReplayProgress(config, group, boundary)) {
      var done =
          progress.follow(
              Duration.ofMillis(200),
              Duration.ofMillis(200),
              Duration.ofSeconds(120),
              ReplayGate.open(),
              progressLines::add);
      assertTrue(done.complete(), progressLines.toString());
      assertEquals(boundary.recordsToReplay(), done.replayed());
    }
    assertTrue(
        new LocalStateMarker(config.stateDir().resolve(Projections.NAME))
            .isFor(boundary.rebuildId()),
        "the local state was wiped for this rebuild");

    // the API's own gate looks at the replay every 500 ms: until it has seen the end, it answers
    // 503 with Retry-After, as documented
    long gateDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (api.get("/v2/users/" + ids.get(0)).status() == 503) {
      assertTrue(System.nanoTime() < gateDeadline, "the views stayed closed after the replay");
      Thread.sleep(100);
    }
    Map<String, String> rebuilt = views(ids);
    for (String id : ids) {
      assertEquals(live.get(id), rebuilt.get(id), "user " + id);
    }
    assertEquals(live, rebuilt);
    assertEquals(liveEvents, complianceEventIds(Set.copyOf(ids)), "nothing published again");

    // After the marks, events flow as before.
    String after = create("Ada", "Lovelace");
    submitW9(after, "Ada", "Lovelace");
    await(after, u -> u.at("/compliance/w9/tax_id_verification").asText().equals("matched"));
    List<String> types = complianceEventTypes(after);
    for (int i = 0; i < 50 && types.size() < 4; i++) {
      Thread.sleep(100); // the view shows a change before its transaction commits the event
      types = complianceEventTypes(after);
    }
    assertEquals(
        List.of("ofac_status_changed", "tin_status_changed", "tin_status_changed", "user_created"),
        types.stream().sorted().toList());
  }

  /** Every view the API shows for these users (404 for the deleted), and their platform list. */
  private Map<String, String> views(List<String> ids) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String id : ids) {
      var answer = api.get("/v2/users/" + id);
      out.put(id, answer.status() + " " + answer.raw().body());
    }
    var list = api.get("/v2/users?limit=100");
    assertEquals(200, list.status(), list.raw().body());
    List<String> listed = new ArrayList<>();
    list.json().get("data").forEach(u -> listed.add(u.get("id").asText()));
    out.put("list", listed.toString());
    for (String status : List.of("in_review", "id_verification_required")) {
      var queue = admin("/admin/ofac/review-queue?limit=100&status=" + status);
      assertEquals(200, queue.status(), queue.raw().body());
      List<String> waiting = new ArrayList<>();
      queue
          .json()
          .get("data")
          .forEach(
              entry -> {
                if (ids.contains(entry.get("user_id").asText())) {
                  waiting.add(entry.toString());
                }
              });
      out.put(status, waiting.toString());
    }
    return out;
  }

  private String create(String first, String last) {
    var answer =
        api.post(
            "/v2/users",
            """
            {"first_name":"%s","last_name":"%s","email":"r%s@example.com",
             "country_code":"1","phone_number":"%s","date_of_birth":"1962-11-23"}"""
                .formatted(first, last, System.nanoTime(), TestPhones.next()));
    var decided = api.decided(answer);
    assertEquals(200, decided.status(), decided.raw().body());
    if (answer.status() == 202) {
      // followed to the command: the user it created
      assertEquals("accepted", decided.json().get("status").asText(), decided.raw().body());
      return decided.json().get("user_id").asText();
    }
    return answer.json().get("id").asText();
  }

  private void submitW9(String id, String first, String last) {
    var answer =
        api.send(
            "PUT",
            "/v2/users/" + id + "/compliance",
            """
            {"w9":{"entity_type":"individual","first_name":"%s","last_name":"%s","tin":"%s"}}"""
                .formatted(first, last, ADA_SSN));
    var decided = api.decided(answer);
    assertEquals(200, decided.status(), decided.raw().body());
    if (answer.status() == 202) {
      assertEquals("accepted", decided.json().get("status").asText(), decided.raw().body());
    }
  }

  private void await(String id, Predicate<JsonNode> condition) throws InterruptedException {
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

  private TestOperators.Operator operator;

  /** An operator's read; the operator is made once, and reads through whichever pipeline runs. */
  private ApiClient.Answer admin(String path) {
    try {
      if (operator == null) {
        operator = TestOperators.add(config, pipeline.baseUrl(), "rebuild-reviewer");
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot add the test's operator", e);
    }
    return new ApiClient(pipeline.baseUrl(), operator.id(), operator.secret()).get(path);
  }

  private List<String> complianceEventIds(Set<String> users) {
    return complianceEvents().stream()
        .filter(e -> users.contains(e.getUserId()))
        .map(ComplianceEvent::getEventId)
        .sorted()
        .toList();
  }

  private List<String> complianceEventTypes(String user) {
    return complianceEvents().stream()
        .filter(e -> e.getUserId().equals(user))
        .map(ComplianceEvent::getType)
        .toList();
  }

  /** Every committed compliance event, read to the end of the topic. */
  private List<ComplianceEvent> complianceEvents() {
    List<ComplianceEvent> out =
        TopicDump.readAll(config, Topics.COMPLIANCE_EVENTS).stream().map(r -> r.value()).toList();
    assertNotEquals(0, out.size());
    return out;
  }
}
