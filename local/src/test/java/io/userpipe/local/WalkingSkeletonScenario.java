package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.Json;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton, end to end on a real broker and a real registry: a user posted over HTTP is
 * decided by user-command-service, folded by projections and read back over HTTP. Subclasses say
 * which broker and registry: embedded ones, or containers.
 */
abstract class WalkingSkeletonScenario {

  private static LocalPipeline pipeline;
  private static ApiClient api;
  private static String bootstrapServers;
  private static String registryUrl;

  /** Starts the pipeline against a cluster and a registry; called from each subclass's setup. */
  static void startPipeline(AppConfig clusterConfig) {
    bootstrapServers = clusterConfig.bootstrapServers();
    registryUrl = clusterConfig.require(AppConfig.SCHEMA_REGISTRY_URL);
    AppConfig config =
        TestPipelines.withLocalDefaults(
            clusterConfig
                .with(AppConfig.HTTP_PORT, "0")
                .with(
                    Projections.PLATFORMS,
                    PlatformDirectory.entry("platform-a", "client-a", "key-a")),
            clusterConfig.stateDir());
    pipeline = TestPipelines.startOnSharedBroker(config);
    api = new ApiClient(pipeline.baseUrl(), "client-a", "key-a");
  }

  @AfterAll
  static void stopPipeline() {
    if (pipeline != null) {
      pipeline.close();
      pipeline = null;
    }
  }

  private static String userJson(String phone) {
    return """
        {"first_name":"Grace","last_name":"Hopper","email":"grace@example.com",
         "country_code":"1","phone_number":"%s","metadata":{"team":"navy"}}"""
        .formatted(phone);
  }

  @Test
  void createsAUserOverHttpAndReadsItBackFromTheProjection() {
    var created = api.post("/v2/users", userJson("2025550101"));

    assertEquals(200, created.status(), created.raw().body());
    String id = created.json().get("id").asText();
    assertEquals("Grace", created.json().get("first_name").asText());
    assertEquals("unverified", created.json().get("status").asText());

    var read = api.get("/v2/users/" + id);
    assertEquals(200, read.status(), read.raw().body());
    JsonNode user = read.json();
    assertEquals(id, user.get("id").asText());
    assertEquals("Hopper", user.get("last_name").asText());
    assertEquals("grace@example.com", user.get("email").asText());
    assertEquals("1", user.at("/phone_number/country_code").asText());
    assertEquals("2025550101", user.at("/phone_number/phone_number").asText());
    assertEquals("navy", user.at("/metadata/team").asText());
    assertNotNull(user.get("created").asText());
  }

  @Test
  void secondCreateWithTheSamePhoneAnswersTheSameUser() {
    String first = api.post("/v2/users", userJson("2025550102")).json().get("id").asText();
    var second = api.post("/v2/users", userJson("2025550102"));
    assertEquals(200, second.status(), second.raw().body());
    assertEquals(first, second.json().get("id").asText());
  }

  @Test
  void recordsOnTheTopicsCarryTheConfluentWireFormatWithIdsTheRegistryResolves() throws Exception {
    // Only what this create wrote: the broker is shared, and the fuzz test writes garbage on
    // purpose.
    var topics = List.of(Topics.USER_COMMANDS, Topics.USER_EVENTS, Topics.COMMAND_RESULTS);
    Map<String, Map<TopicPartition, Long>> before = new HashMap<>();
    for (var topic : topics) {
      before.put(topic.name(), endOffsetsByPartition(topic.name()));
    }
    assertEquals(200, api.post("/v2/users", userJson("2025550103")).status());

    for (var topic : topics) {
      List<byte[]> values = readFrom(topic.name(), before.get(topic.name()));
      assertTrue(!values.isEmpty(), "no records on " + topic.name());
      Set<Integer> ids = new java.util.HashSet<>();
      for (byte[] value : values) {
        assertEquals(0, value[0], "magic byte on " + topic.name());
        ids.add(ByteBuffer.wrap(value, 1, 4).getInt());
      }
      for (int id : ids) {
        var response =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(registryUrl + "/schemas/ids/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "schema id " + id + " of " + topic.name());
        String schema = Json.mapper().readTree(response.body()).get("schema").asText();
        assertTrue(
            schema.contains(topic.valueType().getSimpleName()),
            "schema " + id + " is not " + topic.valueType().getSimpleName());
      }
    }
  }

  @Test
  void malformedJsonIs400AndReachesNoTopic() {
    long before = endOffsets(Topics.USER_COMMANDS.name());
    var answer = api.post("/v2/users", "{\"first_name\": \"Grace\",");
    assertEquals(400, answer.status());
    assertEquals("invalid_json", answer.json().at("/error/code").asText());
    assertEquals(before, endOffsets(Topics.USER_COMMANDS.name()));
  }

  @Test
  void missingAndWronglyTypedFieldsAreEachNamed() {
    long before = endOffsets(Topics.USER_COMMANDS.name());
    var answer =
        api.post(
            "/v2/users",
            "{\"first_name\": 42, \"email\": \"g@example.com\", \"country_code\": \"1\","
                + " \"phone_number\": \"2025550104\", \"metadata\": [1]}");
    assertEquals(400, answer.status());
    Set<String> fields = new java.util.HashSet<>();
    answer.json().at("/error/fields").forEach(f -> fields.add(f.get("field").asText()));
    assertEquals(Set.of("first_name", "last_name", "metadata"), fields);
    assertEquals(before, endOffsets(Topics.USER_COMMANDS.name()));
  }

  @Test
  void invalidValuesAreRejectedByTheCommandServiceNamingTheField() {
    var answer =
        api.post("/v2/users", userJson("2025550105").replace("grace@example.com", "not-an-email"));
    assertEquals(400, answer.status(), answer.raw().body());
    assertEquals("email", answer.json().at("/error/fields/0/field").asText());
  }

  @Test
  void unknownPathIs404WithAJsonError() {
    var answer = api.get("/v2/nothing-here");
    assertEquals(404, answer.status());
    assertEquals("not_found", answer.json().at("/error/code").asText());
  }

  @Test
  void unknownUserIs404() {
    assertEquals(404, api.get("/v2/users/00000000-0000-0000-0000-000000000000").status());
  }

  @Test
  void missingOrWrongCredentialsAre401() {
    var anonymous = new ApiClient(pipeline.baseUrl(), null, null);
    assertEquals(401, anonymous.post("/v2/users", userJson("2025550106")).status());
    var wrong = new ApiClient(pipeline.baseUrl(), "client-a", "not-the-key");
    assertEquals(401, wrong.get("/v2/users/x").status());
  }

  @Test
  void healthReportsEveryService() {
    var health = api.get("/health");
    assertEquals(200, health.status(), health.raw().body());
    assertEquals("UP", health.json().get("status").asText());
  }

  @Test
  void metricsAreExposedForScrapersInThePrometheusFormat() {
    var metrics = api.get("/metrics");
    assertEquals(200, metrics.raw().statusCode());
    String body = metrics.raw().body();
    assertTrue(
        body.contains("# TYPE kafka_stream_thread_metrics_process_rate gauge"), "no process rate");
    assertTrue(body.contains("service=\"user-command-service\""), "no command-service metrics");
    assertTrue(body.contains("service=\"projections\""), "no projections metrics");
  }

  private static Map<String, Object> consumerProps() {
    var props = new HashMap<String, Object>(SharedKafka.clientProps(bootstrapServers));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return props;
  }

  private static long endOffsets(String topic) {
    return endOffsetsByPartition(topic).values().stream().mapToLong(Long::longValue).sum();
  }

  private static Map<TopicPartition, Long> endOffsetsByPartition(String topic) {
    try (var consumer =
        new KafkaConsumer<>(
            consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      return consumer.endOffsets(partitions);
    }
  }

  /** The committed records of a topic from the given offsets up to its current end. */
  private static List<byte[]> readFrom(String topic, Map<TopicPartition, Long> from) {
    try (var consumer =
        new KafkaConsumer<>(
            consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions = List.copyOf(from.keySet());
      consumer.assign(partitions);
      from.forEach(consumer::seek);
      var end = consumer.endOffsets(partitions);
      List<byte[]> values = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null) {
            values.add(r.value());
          }
        }
      }
      return values;
    }
  }
}
