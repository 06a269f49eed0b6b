package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.Json;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCommand;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile input at both doors, seeded and reproducible ({@code -Dfuzz.seed=N}): every case gets a
 * clear rejection (a 4xx with a JSON error, a rejected result, or a dead-letter record that names
 * the error), no processor stops, and the valid commands sent alongside are all decided. The
 * default suite runs 2,000 records and 1,000 requests; {@code -Pslow} runs 10,000 of each.
 */
class HostileInputTest {

  private static final long SEED = Long.getLong("fuzz.seed", 20261130L);

  /** The old shared admin token's kind of credential: no operator's, and no instance's. */
  private static final String ADMIN = "fuzz-admin";

  private static AppConfig config;
  private static LocalPipeline pipeline;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    AppConfig base = SharedKafka.config();
    config =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, "0")
                .with(LocalPipeline.LOCAL_SERVICES, "user-command-service,projections")
                .with(
                    Projections.PLATFORMS, PlatformDirectory.entry("fuzz-platform", "fuzz", "key")),
            base.stateDir());
    pipeline = TestPipelines.startOnSharedBroker(config);
    api = new ApiClient(pipeline.baseUrl(), "fuzz", "key");
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void everyHostileRecordOnTheCommandTopicIsAnsweredOrDeadLetteredAndNoValidCommandIsLost()
      throws Exception {
    kafkaDoor(2_000);
  }

  @Test
  @Tag("slow")
  void tenThousandHostileRecordsOnTheCommandTopic() throws Exception {
    kafkaDoor(10_000);
  }

  @Test
  void everyHostileRequestIsRefusedWithAJsonErrorAndNoValidRequestIsLost() throws Exception {
    httpDoor(1_000);
  }

  @Test
  @Tag("slow")
  void tenThousandHostileRequests() throws Exception {
    httpDoor(10_000);
  }

  @Test
  void everyEndpointRefusesMissingAndWrongCredentials() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String wrongKey = basic("fuzz", "wrong");
    String unknownClient = basic("nobody", "key");
    List<String> routes = new ArrayList<>(HostileInput.ROUTES);
    routes.add("GET /internal/views/users-by-id/x");
    routes.add("GET /internal/keys/users-by-id");
    List<String> accepted = new ArrayList<>();
    int tried = 0;
    for (String route : routes) {
      String[] parts = route.split(" ");
      String path = parts[1].replace("{id}", "x");
      List<String> wrong = new ArrayList<>(java.util.Arrays.asList(null, wrongKey, unknownClient));
      wrong.add("Bearer not-the-token");
      if (!path.startsWith("/v2/")) {
        wrong.add(basic("fuzz", "key")); // a platform is no operator, nor an instance
      }
      if (path.startsWith("/internal/")) {
        wrong.add("Bearer " + ADMIN); // an operator is no instance
      }
      for (String auth : wrong) {
        var c = new HostileInput.HttpCase("credentials", parts[0], path, auth, "{}");
        // the internal views are served on the internal listener only (the public port: 404)
        String base =
            path.startsWith("/internal/") ? pipeline.internalBaseUrl() : pipeline.baseUrl();
        var response = HostileInput.send(http, base, c);
        tried++;
        int status = response.statusCode();
        if ((status != 401 && status != 403) || problem(status, response.body()) != null) {
          accepted.add(route + " with " + auth + ": " + status + " " + abbreviate(response.body()));
        }
      }
    }
    System.out.printf(
        "credentials: %d refused of %d tries on %d endpoints%n",
        tried - accepted.size(), tried, routes.size());
    assertTrue(accepted.isEmpty(), String.join("\n", accepted));
  }

  private static String basic(String client, String key) {
    return "Basic "
        + Base64.getEncoder().encodeToString((client + ":" + key).getBytes(StandardCharsets.UTF_8));
  }

  private static void kafkaDoor(int count) throws Exception {
    var input = new HostileInput(SEED);
    var serdes = AvroSerdes.from(config);
    var decoder = serdes.valueSerde(Topics.USER_COMMANDS).deserializer();
    // What each case must come to: a result for the command it decodes to, or a dead letter.
    // Worked out as each case is sent; its bytes (some of them large) are not kept.
    Map<String, String> undecodable = new HashMap<>(); // "partition/offset" -> kind
    Map<String, String> decoded = new HashMap<>(); // command id -> kind
    Set<String> valid = new HashSet<>();
    int sent = 0;
    try (var producer = HostileInput.rawProducer(config)) {
      List<java.util.concurrent.Future<RecordMetadata>> pending = new ArrayList<>();
      List<String> pendingKinds = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        List<HostileInput.KafkaCase> batch = new ArrayList<>();
        batch.add(input.kafkaCase(serdes));
        if (i % 20 == 0) {
          UserCommand create = HostileInput.validCreate(TestPhones.next());
          valid.add(create.getCommandId());
          batch.add(
              new HostileInput.KafkaCase(
                  "valid",
                  null,
                  serdes
                      .valueSerde(Topics.USER_COMMANDS)
                      .serializer()
                      .serialize(Topics.USER_COMMANDS.name(), create)));
        }
        for (var c : batch) {
          sent++;
          String commandId;
          try {
            commandId = decoder.deserialize(Topics.USER_COMMANDS.name(), c.value()).getCommandId();
          } catch (RuntimeException e) {
            commandId = null;
          }
          var future =
              producer.send(
                  new org.apache.kafka.clients.producer.ProducerRecord<>(
                      Topics.USER_COMMANDS.name(), c.key(), c.value()));
          if (commandId != null) {
            decoded.putIfAbsent(commandId, c.kind());
          } else {
            pending.add(future);
            pendingKinds.add(c.kind());
          }
        }
      }
      producer.flush();
      for (int i = 0; i < pending.size(); i++) {
        RecordMetadata where = pending.get(i).get();
        undecodable.put(where.partition() + "/" + where.offset(), pendingKinds.get(i));
      }
    }

    Map<String, CommandOutcome> outcomes = new HashMap<>();
    Set<String> deadLettered = new HashSet<>();
    Set<String> deadLetteredIds = new HashSet<>();
    List<String> deadLettersWithoutReason = new ArrayList<>();
    Set<String> unanswered;
    Set<String> notDeadLettered;
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    try (var results = TopicFollower.fromStart(config, Topics.COMMAND_RESULTS.name());
        var deadLetters =
            TopicFollower.fromStart(
                config, Topics.USER_COMMANDS_DLQ.name(), Topics.USER_COMMANDS_BY_USER_DLQ.name())) {
      do {
        for (ConsumerRecord<byte[], byte[]> r : results.poll()) {
          if (r.key() == null) {
            continue;
          }
          String id = new String(r.key(), StandardCharsets.UTF_8);
          if (decoded.containsKey(id) || valid.contains(id)) {
            outcomes.put(
                id,
                serdes
                    .valueSerde(Topics.COMMAND_RESULTS)
                    .deserializer()
                    .deserialize(Topics.COMMAND_RESULTS.name(), r.value())
                    .getOutcome());
          }
        }
        for (ConsumerRecord<byte[], byte[]> r : deadLetters.poll()) {
          String reason = header(r, "x-dlq-error-message");
          if (reason == null || reason.isBlank()) {
            deadLettersWithoutReason.add(r.topic() + "@" + r.offset());
          }
          if (Topics.USER_COMMANDS.name().equals(header(r, "x-dlq-source-topic"))) {
            deadLettered.add(
                header(r, "x-dlq-source-partition") + "/" + header(r, "x-dlq-source-offset"));
          }
          try {
            deadLetteredIds.add(decoder.deserialize(r.topic(), r.value()).getCommandId());
          } catch (RuntimeException e) {
            // unreadable: identified by its source offset above
          }
        }
        unanswered = new HashSet<>(decoded.keySet());
        unanswered.removeAll(outcomes.keySet());
        unanswered.removeAll(deadLetteredIds);
        notDeadLettered = new HashSet<>(undecodable.keySet());
        notDeadLettered.removeAll(deadLettered);
      } while ((!unanswered.isEmpty() || !notDeadLettered.isEmpty())
          && System.nanoTime() < deadline);
    }

    System.out.printf(
        "fuzz kafka seed=%d: %,d records (%,d valid), %,d unreadable dead-lettered, %,d decoded"
            + " and answered%n",
        SEED, sent, valid.size(), undecodable.size(), decoded.size());
    assertTrue(
        notDeadLettered.isEmpty(), "not dead-lettered: " + sample(notDeadLettered, undecodable));
    assertTrue(unanswered.isEmpty(), "no result nor dead letter: " + sample(unanswered, decoded));
    assertTrue(deadLettersWithoutReason.isEmpty(), "without a reason: " + deadLettersWithoutReason);
    for (String id : valid) {
      assertEquals(CommandOutcome.ACCEPTED, outcomes.get(id), "the valid command " + id);
    }
    assertEquals(200, api.get("/health").status(), "every processor still runs");
  }

  private static String sample(Set<String> keys, Map<String, String> kinds) {
    return keys.size() + " " + keys.stream().limit(10).map(k -> k + "=" + kinds.get(k)).toList();
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static void httpDoor(int count) throws Exception {
    var input = new HostileInput(SEED);
    String goodAuth =
        "Basic " + Base64.getEncoder().encodeToString("fuzz:key".getBytes(StandardCharsets.UTF_8));
    String someone = create();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<String> failures = new ArrayList<>();
    Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    Map<Integer, Long> nanosByStatus = new java.util.TreeMap<>();
    List<String> validUsers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (i % 50 == 0) {
        validUsers.add(create());
      }
      HostileInput.HttpCase c = input.httpCase(goodAuth, someone);
      long started = System.nanoTime();
      var response = HostileInput.send(http, pipeline.baseUrl(), c);
      nanosByStatus.merge(response.statusCode(), System.nanoTime() - started, Long::sum);
      statuses.merge(response.statusCode(), 1, Integer::sum);
      String problem = problem(response.statusCode(), response.body());
      if (problem != null && failures.size() < 20) {
        failures.add(
            "case "
                + i
                + " ("
                + c.kind()
                + ", "
                + c.method()
                + " "
                + abbreviate(c.path())
                + "): "
                + problem);
      }
    }
    System.out.printf("fuzz http seed=%d: %,d requests, statuses %s%n", SEED, count, statuses);
    nanosByStatus.forEach(
        (status, nanos) ->
            System.out.printf(
                "  %d: %.1f ms on average%n", status, nanos / 1e6 / statuses.get(status)));
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    for (String id : validUsers) {
      assertEquals(200, api.get("/v2/users/" + id).status(), "a valid user sent alongside: " + id);
    }
    assertEquals(200, api.get("/health").status(), "every processor still runs");
  }

  /** Why an answer is not a clear one, or null: never 5xx; every 4xx a JSON error. */
  private static String problem(int status, String body) {
    if (status >= 500) {
      return "status " + status + ": " + abbreviate(body);
    }
    if (status < 400) {
      return null;
    }
    try {
      JsonNode error = Json.mapper().readTree(body).path("error");
      if (error.path("code").asText().isEmpty() || error.path("message").asText().isEmpty()) {
        return "status " + status + " without a JSON error: " + abbreviate(body);
      }
      return null;
    } catch (Exception e) {
      return "status " + status + " with a body that is not JSON: " + abbreviate(body);
    }
  }

  private static String abbreviate(String s) {
    return s == null || s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  private static String create() {
    var answer =
        api.post(
            "/v2/users",
            """
            {"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com",
             "country_code":"1","phone_number":"%s"}"""
                .formatted(TestPhones.next()));
    assertEquals(200, answer.status(), answer.raw().body());
    return answer.json().get("id").asText();
  }
}
