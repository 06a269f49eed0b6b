package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.projections.Projections;
import io.userpipe.projections.http.RemoteViews;
import io.userpipe.projections.topology.ProjectionsTopology;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.schemas.TinVerification;
import io.userpipe.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the pipeline in one consumer group each, on the embedded broker: each hosts part
 * of the views, and every user is read through both (the other's keys are forwarded to the instance
 * that owns them).
 */
class TwoInstancesTest {
  private static AppConfig shared;
  private static LocalPipeline first;
  private static LocalPipeline second;
  private static ApiClient a;
  private static ApiClient b;

  @BeforeAll
  static void start() {
    AppConfig base = SharedKafka.config();
    shared =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, "0")
                .with(LocalPipeline.LOCAL_SERVICES, "user-command-service,projections")
                .with(Projections.PLATFORMS, PlatformDirectory.entry("two-platform", "two", "key")),
            base.stateDir());
    first =
        TestPipelines.startOnSharedBroker(
            shared.with(AppConfig.STATE_DIR, base.stateDir().resolve("a").toString()));
    second =
        TestPipelines.startOnSharedBroker(
            shared.with(AppConfig.STATE_DIR, base.stateDir().resolve("b").toString()));
    a = new ApiClient(first.baseUrl(), "two", "key");
    b = new ApiClient(second.baseUrl(), "two", "key");
  }

  @AfterAll
  static void stop() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  /** The answer once the group has settled: 503 (rebalancing) is retried, nothing else. */
  private static ApiClient.Answer settled(java.util.function.Supplier<ApiClient.Answer> call)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    ApiClient.Answer answer = call.get();
    while (answer.status() == 503 && System.nanoTime() < deadline) {
      Thread.sleep(250);
      answer = call.get();
    }
    return answer;
  }

  private static Map<String, Integer> partitionsPerMember() throws Exception {
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(shared))) {
      String group = shared.appIdPrefix() + Projections.NAME;
      var description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      Map<String, Integer> out = new java.util.HashMap<>();
      for (MemberDescription m : description.members()) {
        out.put(m.consumerId(), m.assignment().topicPartitions().size());
      }
      return out;
    }
  }

  /**
   * The views the instances forward to each other are on each one's internal listener (its
   * application.server), behind the internal token; the public port does not know the path.
   */
  @Test
  void internalViewsAreServedOnTheInternalListenerOnly() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String token = shared.require(RemoteViews.INTERNAL_TOKEN);
    String path = "/internal/keys/" + ProjectionsTopology.USERS_BY_PLATFORM + "?limit=1";
    for (LocalPipeline pipeline : List.of(first, second)) {
      var onPublic = internalGet(http, pipeline.baseUrl() + path, token);
      assertEquals(404, onPublic.statusCode(), "public port: " + onPublic.body());
      var onInternal = internalGet(http, pipeline.internalBaseUrl() + path, token);
      for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          onInternal.statusCode() == 503 && System.nanoTime() < deadline; ) {
        Thread.sleep(250); // rebalancing
        onInternal = internalGet(http, pipeline.internalBaseUrl() + path, token);
      }
      assertEquals(200, onInternal.statusCode(), "internal listener: " + onInternal.body());
      var noToken = internalGet(http, pipeline.internalBaseUrl() + path, null);
      assertEquals(403, noToken.statusCode(), "internal listener without the token");
    }
  }

  private static HttpResponse<String> internalGet(HttpClient http, String url, String token)
      throws Exception {
    var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header(RemoteViews.HEADER, token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyUserIsReadThroughBothInstancesAndListedByEach() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ApiClient via = i % 2 == 0 ? a : b;
      String phone = TestPhones.next();
      var created =
          settled(
              () ->
                  via.post(
                      "/v2/users",
                      """
                      {"first_name":"Grace","last_name":"Hopper","email":"g%s@example.com",
                       "country_code":"1","phone_number":"%s"}"""
                          .formatted(phone, phone)));
      assertEquals(200, created.status(), created.raw().body());
      ids.add(created.json().get("id").asText());
    }

    Map<String, Integer> members = partitionsPerMember();
    assertEquals(2, members.size(), "two projections instances in the group: " + members);
    assertTrue(members.values().stream().allMatch(n -> n > 0), "both host partitions: " + members);

    for (String id : ids) {
      for (ApiClient via : List.of(a, b)) {
        var read = settled(() -> via.get("/v2/users/" + id));
        assertEquals(200, read.status(), read.raw().body());
        assertEquals(id, read.json().get("id").asText());
        assertEquals("Hopper", read.json().get("last_name").asText());
      }
    }
    // the compliance history too: each instance answers the same, forwarding what it does not
    // host. No verifier runs here: a TIN verification per user, as tin-verifier writes it.
    var serdes = AvroSerdes.from(shared);
    try (var producer = HostileInput.rawProducer(shared)) {
      for (String id : ids) {
        var change =
            TinVerification.newBuilder()
                .setEventId("two-instances-" + id)
                .setUserId(id)
                .setSubmissionId("s-" + id)
                .setToStatus("pending")
                .setReason("submitted")
                .setOccurredAt(Instant.now())
                .build();
        producer
            .send(
                new ProducerRecord<>(
                    Topics.TIN_VERIFICATIONS.name(),
                    id.getBytes(StandardCharsets.UTF_8),
                    serdes
                        .valueSerde(Topics.TIN_VERIFICATIONS)
                        .serializer()
                        .serialize(Topics.TIN_VERIFICATIONS.name(), change)))
            .get();
      }
    }
    for (String id : ids) {
      String path = "/v2/users/" + id + "/compliance/history";
      String agreed = null;
      for (int i = 0; i < 100 && agreed == null; i++) {
        var viaA = settled(() -> a.get(path));
        var viaB = settled(() -> b.get(path));
        assertEquals(200, viaA.status(), viaA.raw().body());
        assertEquals(200, viaB.status(), viaB.raw().body());
        if (viaA.raw().body().equals(viaB.raw().body()) && !viaA.json().get("data").isEmpty()) {
          agreed = viaA.raw().body();
        } else {
          Thread.sleep(100); // the verification is on its way
        }
      }
      assertTrue(agreed != null, "both instances answer the history of " + id);
      assertTrue(agreed.contains("two-instances-" + id), agreed);
    }
    for (ApiClient via : List.of(a, b)) {
      var list = settled(() -> via.get("/v2/users?limit=100"));
      assertEquals(200, list.status(), list.raw().body());
      Set<String> listed = new HashSet<>();
      for (JsonNode u : list.json().get("data")) {
        listed.add(u.get("id").asText());
      }
      assertTrue(listed.containsAll(ids), "listed " + listed.size() + " of " + ids.size());
    }
  }
}
