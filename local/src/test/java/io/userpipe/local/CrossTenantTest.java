package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.userpipe.commands.UserCommandService;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.AddPayoutMethod;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.DeleteUser;
import io.userpipe.schemas.EraseUser;
import io.userpipe.schemas.OfacCommand;
import io.userpipe.schemas.RemovePayoutMethod;
import io.userpipe.schemas.ResolveOfacReview;
import io.userpipe.schemas.ReviewDecision;
import io.userpipe.schemas.RewrapUserKey;
import io.userpipe.schemas.SendVerificationToken;
import io.userpipe.schemas.SubmitCompliance;
import io.userpipe.schemas.SubmitIdVerification;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UpdateUser;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.VerifyUser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cross-tenant suite (docs/SECURITY.md). Platform A has a person, with data only A sent;
 * platform C has no connection to them and platform B asked to connect (pending, the person has not
 * confirmed). Every route of the public HTTP door's router table, and every command type of the
 * Avro unions on the Kafka door, is tried by B and C against A's person: the answer is a 404, or
 * B's pending view, or a refusal, and nothing of A's. Then A's person is read back unchanged, and
 * the person's events show nothing but B's request to connect. The cases are keyed by the routes
 * and the union's types: a new route or command without a case fails this suite.
 */
class CrossTenantTest {

  /** What A sent and no other platform may ever read. */
  private static final String A_EMAIL = "a-secret-" + UUID.randomUUID() + "@example.com";

  private static final String A_NOTE = "A-only-" + UUID.randomUUID();
  private static final String A_LAST = "Leakproof";

  private static LocalPipeline pipeline;
  private static AppConfig config;
  private static ApiClient platformA;
  private static ApiClient platformB;
  private static ApiClient platformC;

  /** Asks to connect on the Kafka door (C stays without a connection for the HTTP door's cases). */
  private static ApiClient platformD;

  private static String phone;
  private static String userId;
  private static String payoutMethodId;
  private static String aCommandId;
  private static String aWebhookId;

  @BeforeAll
  static void start() {
    AppConfig base = SharedKafka.config();
    config =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, "0")
                .with(
                    Projections.PLATFORMS,
                    PlatformDirectory.entry("tenant-a", "tenant-client-a", "key-a")
                        + ","
                        + PlatformDirectory.entry("tenant-b", "tenant-client-b", "key-b")
                        + ","
                        + PlatformDirectory.entry("tenant-c", "tenant-client-c", "key-c")
                        + ","
                        + PlatformDirectory.entry("tenant-d", "tenant-client-d", "key-d"))
                .with(
                    UserCommandService.SMS_OUTBOX_FILE,
                    base.stateDir().resolve("cross-tenant-sms.txt").toString()),
            base.stateDir());
    pipeline = TestPipelines.startOnSharedBroker(config);
    platformA = new ApiClient(pipeline.baseUrl(), "tenant-client-a", "key-a");
    platformB = new ApiClient(pipeline.baseUrl(), "tenant-client-b", "key-b");
    platformC = new ApiClient(pipeline.baseUrl(), "tenant-client-c", "key-c");
    platformD = new ApiClient(pipeline.baseUrl(), "tenant-client-d", "key-d");

    phone = TestPhones.next();
    var created =
        platformA.post(
            "/v2/users",
            """
            {"first_name":"Ada","last_name":"%s","email":"%s","country_code":"1",
             "phone_number":"%s","date_of_birth":"1990-01-02","metadata":{"note":"%s"},
             "idempotency_key":"a-create"}"""
                .formatted(A_LAST, A_EMAIL, phone, A_NOTE));
    assertEquals(200, created.status(), created.raw().body());
    userId = created.json().get("id").asText();
    aCommandId =
        UUID.nameUUIDFromBytes(("idempotency:tenant-a:a-create").getBytes(StandardCharsets.UTF_8))
            .toString();
    var method =
        platformA.send(
            "PUT",
            "/v2/users/" + userId + "/payout-methods",
            """
            {"platform":"ach","routing_number":"011000015","account_number":"000123456789",
             "account_type":"checking"}""");
    assertEquals(200, method.status(), method.raw().body());
    payoutMethodId = method.json().get("id").asText();
    var hook =
        platformA.post(
            "/v2/webhooks",
            "{\"url\":\"http://127.0.0.1:9/%s\",\"event_types\":[\"user_created\"]}"
                .formatted(A_NOTE));
    assertEquals(201, hook.status(), hook.raw().body());
    aWebhookId = hook.json().get("id").asText();
    // B asks to connect: pending until the person confirms, which never happens here
    var asked =
        platformB.post(
            "/v2/users",
            """
            {"first_name":"Bea","last_name":"Guess","email":"bea@example.com","country_code":"1",
             "phone_number":"%s"}"""
                .formatted(phone));
    assertEquals(200, asked.status(), asked.raw().body());
    assertEquals("pending", asked.json().at("/connection/status").asText(), asked.raw().body());
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  // ---- the HTTP door: every route of the router table ----

  /** What an answer to B or C may be. */
  private enum Expect {
    /** 404: the person does not exist for this platform. */
    NOT_FOUND,
    /** C: 404; B (pending): its pending view, nothing of A's. */
    NOT_FOUND_OR_PENDING_VIEW,
    /** C: 404; B (pending): refused while pending (403 connection_pending). */
    NOT_FOUND_OR_PENDING_REFUSAL,
    /** C: 404; B (pending): allowed, for it is how the person confirms (send and verify a code). */
    NOT_FOUND_OR_CONFIRMATION_STEP,
    /** Not about one person: any answer, but nothing of A's in it. */
    NOTHING_OF_A,
    /** An operator's route: a platform's credentials are refused (401). */
    OPERATORS_ONLY,
    /**
     * The review console: a platform's credentials open no session; sent to sign-in (303), or 401
     * for the status a case page follows.
     */
    CONSOLE_SIGN_IN
  }

  private record Case(String method, Function<String, String> path, String body, Expect expect) {}

  /** One case per route, keyed by {@code METHOD /template}; the id in a path is A's person's. */
  private static Map<String, Case> routeCases() {
    var cases = new LinkedHashMap<String, Case>();
    String update = "{\"email\":\"taken-over@example.com\",\"metadata\":{\"owner\":\"me\"}}";
    String compliance =
        """
        {"w9":{"entity_type":"individual","first_name":"Cy","last_name":"Other","tin":"123-45-6789",
               "address":{"line_1":"1 Main St","city":"Springfield","postcode":"62701","country":"US"}}}""";
    cases.put(
        "POST /v2/users",
        new Case(
            "POST",
            id -> "/v2/users",
            """
            {"first_name":"Bea","last_name":"Guess","email":"bea@example.com","country_code":"1",
             "phone_number":"%s"}"""
                .formatted(phoneLater()),
            Expect.NOT_FOUND_OR_PENDING_VIEW));
    cases.put(
        "GET /v2/users", new Case("GET", id -> "/v2/users?limit=100", null, Expect.NOTHING_OF_A));
    cases.put(
        "GET /v2/users/{id}",
        new Case("GET", id -> "/v2/users/" + id, null, Expect.NOT_FOUND_OR_PENDING_VIEW));
    cases.put(
        "PATCH /v2/users/{id}",
        new Case("PATCH", id -> "/v2/users/" + id, update, Expect.NOT_FOUND_OR_PENDING_REFUSAL));
    cases.put(
        "PUT /v2/users/{id}",
        new Case("PUT", id -> "/v2/users/" + id, update, Expect.NOT_FOUND_OR_PENDING_REFUSAL));
    cases.put(
        "DELETE /v2/users/{id}",
        new Case("DELETE", id -> "/v2/users/" + id, null, Expect.NOT_FOUND_OR_PENDING_REFUSAL));
    cases.put(
        "POST /v2/users/{id}/send-verification-token",
        new Case(
            "POST",
            id -> "/v2/users/" + id + "/send-verification-token",
            "",
            Expect.NOT_FOUND_OR_CONFIRMATION_STEP));
    cases.put(
        "POST /v2/users/{id}/verify",
        new Case(
            "POST",
            id -> "/v2/users/" + id + "/verify",
            "{\"token\":\"000000\"}",
            Expect.NOT_FOUND_OR_CONFIRMATION_STEP));
    cases.put(
        "PUT /v2/users/{id}/compliance",
        new Case(
            "PUT",
            id -> "/v2/users/" + id + "/compliance",
            compliance,
            Expect.NOT_FOUND_OR_PENDING_REFUSAL));
    cases.put(
        "POST /v2/users/{id}/compliance",
        new Case(
            "POST",
            id -> "/v2/users/" + id + "/compliance",
            compliance,
            Expect.NOT_FOUND_OR_PENDING_REFUSAL));
    cases.put(
        "GET /v2/users/{id}/compliance/history",
        new Case(
            "GET",
            id -> "/v2/users/" + id + "/compliance/history",
            null,
            Expect.NOT_FOUND_OR_PENDING_VIEW));
    cases.put(
        "POST /v2/users/{id}/id-verification",
        new Case(
            "POST",
            id -> "/v2/users/" + id + "/id-verification",
            "{\"provider\":\"persona\",\"reference\":\"inq_1\"}",
            Expect.NOT_FOUND_OR_PENDING_REFUSAL));
    cases.put(
        "PUT /v2/users/{id}/payout-methods",
        new Case(
            "PUT",
            id -> "/v2/users/" + id + "/payout-methods",
            "{\"platform\":\"paypal\",\"email\":\"thief@example.com\"}",
            Expect.NOT_FOUND_OR_PENDING_REFUSAL));
    cases.put(
        "GET /v2/users/{id}/payout-methods",
        new Case(
            "GET",
            id -> "/v2/users/" + id + "/payout-methods",
            null,
            Expect.NOT_FOUND_OR_PENDING_VIEW));
    cases.put(
        "DELETE /v2/users/{id}/payout-methods/{method}",
        new Case(
            "DELETE",
            id -> "/v2/users/" + id + "/payout-methods/" + payoutMethodId,
            null,
            Expect.NOT_FOUND_OR_PENDING_REFUSAL));
    cases.put(
        "GET /v2/commands/{id}",
        new Case("GET", id -> "/v2/commands/" + aCommandId, null, Expect.NOT_FOUND));
    cases.put(
        "GET /v2/ofac/search",
        new Case("GET", id -> "/v2/ofac/search?name=Ada+" + A_LAST, null, Expect.NOTHING_OF_A));
    cases.put(
        "POST /v2/webhooks",
        new Case(
            "POST",
            id -> "/v2/webhooks",
            "{\"url\":\"http://127.0.0.1:9/other\",\"event_types\":[\"user_created\"]}",
            Expect.NOTHING_OF_A));
    cases.put("GET /v2/webhooks", new Case("GET", id -> "/v2/webhooks", null, Expect.NOTHING_OF_A));
    // A's endpoint: a 404 to anyone else, as one that does not exist
    String hooks = "/v2/webhooks/";
    cases.put(
        "GET /v2/webhooks/{id}", new Case("GET", id -> hooks + aWebhookId, null, Expect.NOT_FOUND));
    cases.put(
        "PATCH /v2/webhooks/{id}",
        new Case("PATCH", id -> hooks + aWebhookId, "{\"status\":\"disabled\"}", Expect.NOT_FOUND));
    cases.put(
        "DELETE /v2/webhooks/{id}",
        new Case("DELETE", id -> hooks + aWebhookId, null, Expect.NOT_FOUND));
    for (String action : List.of("rotate-secret", "test", "replay")) {
      cases.put(
          "POST /v2/webhooks/{id}/" + action,
          new Case("POST", id -> hooks + aWebhookId + "/" + action, "{}", Expect.NOT_FOUND));
    }
    cases.put(
        "GET /v2/webhooks/{id}/failed",
        new Case("GET", id -> hooks + aWebhookId + "/failed", null, Expect.NOT_FOUND));
    cases.put(
        "GET /openapi.yaml", new Case("GET", id -> "/openapi.yaml", null, Expect.NOTHING_OF_A));
    cases.put("GET /health", new Case("GET", id -> "/health", null, Expect.NOTHING_OF_A));
    cases.put("GET /ready", new Case("GET", id -> "/ready", null, Expect.NOTHING_OF_A));
    cases.put("GET /metrics", new Case("GET", id -> "/metrics", null, Expect.NOTHING_OF_A));
    cases.put(
        "POST /admin/users/{id}/ofac-review",
        new Case(
            "POST",
            id -> "/admin/users/" + id + "/ofac-review",
            "{\"decision\":\"clear\",\"note\":\"mine now\"}",
            Expect.OPERATORS_ONLY));
    cases.put(
        "POST /admin/users/{id}/erasure",
        new Case(
            "POST",
            id -> "/admin/users/" + id + "/erasure",
            "{\"reason\":\"gone\"}",
            Expect.OPERATORS_ONLY));
    cases.put(
        "GET /admin/ofac/review-queue",
        new Case("GET", id -> "/admin/ofac/review-queue", null, Expect.OPERATORS_ONLY));
    cases.put(
        "POST /admin/ofac/lists",
        new Case("POST", id -> "/admin/ofac/lists", "{}", Expect.OPERATORS_ONLY));
    cases.put("GET /console", new Case("GET", id -> "/console", null, Expect.NOTHING_OF_A));
    cases.put(
        "GET /console/sign-in",
        new Case("GET", id -> "/console/sign-in", null, Expect.NOTHING_OF_A));
    cases.put(
        "POST /console/sign-in",
        new Case("POST", id -> "/console/sign-in", "operator_id=a&secret=b", Expect.NOTHING_OF_A));
    cases.put(
        "GET /console/assets/{file}",
        new Case("GET", id -> "/console/assets/console.css", null, Expect.NOTHING_OF_A));
    cases.put(
        "POST /console/sign-out",
        new Case("POST", id -> "/console/sign-out", "csrf=x", Expect.CONSOLE_SIGN_IN));
    cases.put(
        "GET /console/queue",
        new Case("GET", id -> "/console/queue", null, Expect.CONSOLE_SIGN_IN));
    cases.put(
        "GET /console/users/{id}",
        new Case("GET", id -> "/console/users/" + id, null, Expect.CONSOLE_SIGN_IN));
    cases.put(
        "GET /console/users/{id}/status",
        new Case("GET", id -> "/console/users/" + id + "/status", null, Expect.CONSOLE_SIGN_IN));
    cases.put(
        "POST /console/users/{id}/decision",
        new Case(
            "POST",
            id -> "/console/users/" + id + "/decision",
            "decision=clear&note=mine+now",
            Expect.CONSOLE_SIGN_IN));
    return cases;
  }

  /** A's phone: a create by B or C with it is the attempt to reach A's person. */
  private static String phoneLater() {
    return phone;
  }

  @Test
  void everyRouteAnswersAnotherPlatformWithA404OrThePendingViewAndNothingOfAs() {
    Map<String, Case> cases = routeCases();
    var missing = new TreeSet<String>(pipeline.routes());
    missing.removeAll(cases.keySet());
    assertEquals(
        Set.of(),
        missing,
        "routes of the router table without a cross-tenant case: add one to this suite");

    List<String> problems = new ArrayList<>();
    // the create last: C's is a request to connect, after which C is no longer without one
    var ordered = new ArrayList<>(cases.entrySet());
    ordered.sort((x, y) -> Boolean.compare(isCreate(x.getKey()), isCreate(y.getKey())));
    for (var entry : ordered) {
      Case c = entry.getValue();
      for (var tenant : List.of(Map.entry("C", platformC), Map.entry("B", platformB))) {
        var answer = tenant.getValue().send(c.method(), c.path().apply(userId), c.body());
        String body = answer.raw().body();
        String what =
            tenant.getKey() + " " + entry.getKey() + " -> " + answer.status() + " " + body;
        if (body.contains(A_EMAIL) || body.contains(A_NOTE) || body.contains(A_LAST)) {
          problems.add("leaked A's data: " + what);
        }
        boolean pending = tenant.getKey().equals("B");
        boolean ok =
            switch (c.expect()) {
              case NOT_FOUND -> answer.status() == 404;
              case NOT_FOUND_OR_PENDING_VIEW ->
                  pending
                      ? answer.status() == 200 && pendingOrEmpty(answer)
                      : answer.status() == 404
                          || (c.method().equals("POST")
                              && answer.status() == 200
                              && pendingOrEmpty(answer));
              case NOT_FOUND_OR_PENDING_REFUSAL ->
                  pending
                      ? answer.status() == 403 && body.contains("connection_pending")
                      : answer.status() == 404;
              case NOT_FOUND_OR_CONFIRMATION_STEP ->
                  pending
                      ? answer.status() < 500 && answer.status() != 404
                      : answer.status() == 404;
              case NOTHING_OF_A -> answer.status() < 500;
              case OPERATORS_ONLY -> answer.status() == 401;
              case CONSOLE_SIGN_IN ->
                  answer.status() == 401
                      || (answer.status() == 303
                          && answer
                              .raw()
                              .headers()
                              .firstValue("Location")
                              .orElse("")
                              .startsWith("/console/sign-in"));
            };
        if (!ok) {
          problems.add("unexpected answer (" + c.expect() + "): " + what);
        }
      }
    }
    assertEquals(List.of(), problems);
    assertAUnchanged();
  }

  private static boolean isCreate(String route) {
    return route.equals("POST /v2/users");
  }

  /**
   * The pending view (B's, or C's own request to connect made by the create case): only what that
   * platform sent, or an empty list.
   */
  private static boolean pendingOrEmpty(ApiClient.Answer answer) {
    var json = answer.json();
    if (json.isArray()) {
      return json.isEmpty(); // a user's payout methods: Dots' bare array
    }
    if (json.has("data")) {
      return json.get("data").isEmpty();
    }
    return "pending".equals(json.at("/connection/status").asText());
  }

  // ---- the Kafka door: every command type of the unions ----

  @Test
  void everyCommandTypeFromAnotherPlatformIsRefusedAndChangesNothingOfAs() throws Exception {
    String c = "tenant-c";
    var secrets = new CommandSecrets(DataKeys.edgeFrom(config));
    Map<String, Function<String, Object>> userPayloads = new LinkedHashMap<>();
    userPayloads.put(
        "CreateUser",
        id ->
            CreateUser.newBuilder()
                .setFirstName("Cy")
                .setLastName("Other")
                .setEmail("cy@example.com")
                .setCountryCode("1")
                .setPhoneNumber(phone)
                .setMetadata(Map.of())
                .build());
    userPayloads.put(
        "UpdateUser", id -> UpdateUser.newBuilder().setEmail("c-took-it@example.com").build());
    userPayloads.put("DeleteUser", id -> new DeleteUser());
    userPayloads.put("SendVerificationToken", id -> new SendVerificationToken());
    userPayloads.put("VerifyUser", id -> new VerifyUser(secrets.sealCode(id, "000000")));
    userPayloads.put("SubmitCompliance", id -> SubmitCompliance.newBuilder().build());
    userPayloads.put(
        "AddPayoutMethod",
        id -> AddPayoutMethod.newBuilder().setKind("paypal").setEmail("thief@example.com").build());
    userPayloads.put("RemovePayoutMethod", id -> new RemovePayoutMethod(payoutMethodId));
    userPayloads.put("EraseUser", id -> new EraseUser("c-pretends", "gone"));
    userPayloads.put("RewrapUserKey", id -> new RewrapUserKey("c-pretends"));
    Map<String, Function<String, Object>> ofacPayloads = new LinkedHashMap<>();
    ofacPayloads.put("SubmitIdVerification", id -> new SubmitIdVerification("persona", "inq_c"));
    ofacPayloads.put(
        "ResolveOfacReview",
        id -> new ResolveOfacReview(ReviewDecision.CLEAR, "c-pretends", "cleared by C"));

    assertEquals(
        unionTypes(UserCommand.getClassSchema()),
        userPayloads.keySet(),
        "command types of users.commands without a cross-tenant case: add one to this suite");
    assertEquals(
        unionTypes(OfacCommand.getClassSchema()),
        ofacPayloads.keySet(),
        "command types of ofac.commands without a cross-tenant case: add one to this suite");

    var serdes = AvroSerdes.from(config);
    var sent = new LinkedHashMap<String, String>(); // command id -> type
    try (var producer = HostileInput.rawProducer(config)) {
      for (var p : userPayloads.entrySet()) {
        String id = UUID.randomUUID().toString();
        var command =
            UserCommand.newBuilder()
                .setCommandId(id)
                .setPlatformId(p.getKey().equals("CreateUser") ? "tenant-d" : c)
                .setIssuedAt(Instant.now())
                .setUserId(p.getKey().equals("CreateUser") ? null : userId)
                .setPayload(p.getValue().apply(id))
                .build();
        send(
            producer,
            Topics.USER_COMMANDS.name(),
            userId,
            serdes
                .valueSerde(Topics.USER_COMMANDS)
                .serializer()
                .serialize(Topics.USER_COMMANDS.name(), command));
        sent.put(id, p.getKey());
      }
      for (var p : ofacPayloads.entrySet()) {
        String id = UUID.randomUUID().toString();
        var command =
            OfacCommand.newBuilder()
                .setCommandId(id)
                .setPlatformId(c)
                .setIssuedAt(Instant.now())
                .setUserId(userId)
                .setPayload(p.getValue().apply(id))
                .build();
        send(
            producer,
            Topics.OFAC_COMMANDS.name(),
            userId,
            serdes
                .valueSerde(Topics.OFAC_COMMANDS)
                .serializer()
                .serialize(Topics.OFAC_COMMANDS.name(), command));
        sent.put(id, p.getKey());
      }
      producer.flush();
    }

    List<String> problems = new ArrayList<>();
    for (var s : sent.entrySet()) {
      var result =
          awaitResult(s.getValue().equals("CreateUser") ? platformD : platformC, s.getKey());
      String body = result.raw().body();
      if (body.contains(A_EMAIL) || body.contains(A_NOTE) || body.contains(A_LAST)) {
        problems.add("leaked A's data: " + s.getValue() + " " + body);
      }
      String status = result.json().path("status").asText();
      boolean ok =
          s.getValue().equals("CreateUser")
              // D asks to connect: accepted, pending until the person confirms
              ? status.equals("accepted")
              : status.equals("rejected");
      if (!ok) {
        problems.add(s.getValue() + " from another platform: " + body);
      }
    }
    assertEquals(List.of(), problems);
    assertAUnchanged();

    // The person's events: A's, and from B and C nothing but their requests to connect
    var others =
        TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.USER_EVENTS.name()).stream()
            .map(
                r ->
                    serdes
                        .valueSerde(Topics.USER_EVENTS)
                        .deserializer()
                        .deserialize(Topics.USER_EVENTS.name(), r.value()))
            .filter(e -> e.getUserId().equals(userId))
            .filter(e -> !"tenant-a".equals(e.getPlatformId()))
            .map(e -> e.getPlatformId() + ":" + e.getPayload().getClass().getSimpleName())
            .toList();
    for (String e : others) {
      assertTrue(
          e.endsWith(":ConnectionRequested")
              || e.endsWith(":VerificationTokenIssued")
              || e.endsWith(":VerificationAttemptFailed"),
          "another platform changed A's person: " + others);
    }
  }

  private static Set<String> unionTypes(Schema commandSchema) {
    var names = new TreeSet<String>();
    for (Schema s : commandSchema.getField("payload").schema().getTypes()) {
      names.add(s.getName());
    }
    return names;
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
  }

  /** The command's result as its own platform reads it, once decided. */
  private static ApiClient.Answer awaitResult(ApiClient client, String commandId)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    ApiClient.Answer answer;
    do {
      answer = client.get("/v2/commands/" + commandId);
      if (answer.status() == 200) {
        return answer;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    fail("no result for command " + commandId + ": " + answer.raw().body());
    return answer;
  }

  /** A reads its person back as it made it. */
  private static void assertAUnchanged() {
    var a = platformA.get("/v2/users/" + userId);
    assertEquals(200, a.status(), a.raw().body());
    assertEquals(A_EMAIL, a.json().get("email").asText(), a.raw().body());
    assertEquals(A_NOTE, a.json().at("/metadata/note").asText(), a.raw().body());
    assertEquals("connected", a.json().at("/connection/status").asText());
    var methods = platformA.get("/v2/users/" + userId + "/payout-methods");
    assertEquals(200, methods.status(), methods.raw().body());
    assertEquals(1, methods.json().size(), methods.raw().body());
    assertFalse(a.raw().body().contains("taken-over"), a.raw().body());
  }
}
