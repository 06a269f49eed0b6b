package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.userpipe.commands.UserCommandService;
import io.userpipe.localstack.WebhookReceiver;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.testing.Ports;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.Topics;
import io.userpipe.webhooks.Webhooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Signed webhooks end to end: the pipeline (user-command-service, projections) in this JVM on the
 * shared KRaft broker and schema registry, the webhooks service through its own {@code main} in its
 * own OS process (so it can be killed -9), and real HTTP receivers on loopback that verify every
 * delivery from the Standard Webhooks text ({@link WebhookReceiver}). The API's answers are held to
 * openapi.yaml by {@link ApiClient}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhooksTest {

  private static final Duration START = Duration.ofMinutes(3);
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path dir;
  private static AppConfig config;
  private static LocalPipeline pipeline;
  private static ServiceProcess hooks;
  private static ServiceProcess strict;
  private static ServiceProcess givingUp;
  private static String givingUpBase;
  private static ApiClient usersA;
  private static ApiClient usersB;
  private static ApiClient hooksA;
  private static ApiClient hooksB;
  private static ApiClient strictA;
  private static final List<WebhookReceiver> receivers = new ArrayList<>();
  private static String hooksBase;
  private static String strictBase;

  /** The first test's receiver: platform A's, for every type, answering at once. */
  private static WebhookReceiver everythingOfA;

  @BeforeAll
  static void start() throws Exception {
    dir = SharedKafka.tempDir("webhooks");
    String platforms =
        PlatformDirectory.entry("hooks-a", "hooks-a", "hooks-a-key")
            + ","
            + PlatformDirectory.entry("hooks-b", "hooks-b", "hooks-b-key");
    AppConfig base = SharedKafka.config();
    config =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, "0")
                .with(Projections.PLATFORMS, platforms)
                .with(LocalPipeline.LOCAL_SERVICES, "none")
                .with(
                    UserCommandService.SMS_OUTBOX_FILE, dir.resolve("webhooks-sms.txt").toString()),
            dir);
    Path logs = dir.resolve("logs");
    ServiceProcess.writeLogbackConfig(logs);
    Map<String, String> env =
        new HashMap<>(ChaosRun.commonEnv(SharedKafka.bootstrapServers(), dir));
    env.put(Projections.PLATFORMS, platforms);
    env.put("WEBHOOKS_FIRST_RETRY", "PT1S");
    // retries 1 s, 2 s, 2 s...: a receiver failing three times recovers in seconds, not 21 s
    env.put("WEBHOOKS_MAX_BACKOFF", "PT2S");
    env.put("WEBHOOKS_ATTEMPT_LEASE", "PT10S");
    env.put("WEBHOOKS_TIMEOUT", "PT5S");
    // static membership, as ChaosRun's services: the instance restarted after its kill -9 takes
    // its partitions back at once instead of waiting out the dead member's 45 s session (each
    // instance below is in a group of its own, so one name serves them all)
    env.put(AppConfig.GROUP_INSTANCE_ID, "webhooks-1");
    // the local demo's explicit permission: these receivers are on loopback
    Map<String, String> demo = new HashMap<>(env);
    int port = Ports.freeLoopbackPort();
    demo.put(Webhooks.ALLOW_PRIVATE, "true");
    demo.put(AppConfig.APP_ID_PREFIX, "hooks-" + ProcessHandle.current().pid() + "-");
    demo.put(AppConfig.STATE_DIR, dir.resolve("state-demo").toString());
    demo.put(AppConfig.HTTP_PORT, Integer.toString(port));
    hooks = new ServiceProcess(Webhooks.NAME, Webhooks.class.getName(), demo, logs, "running as");
    hooksBase = "http://127.0.0.1:" + port;
    // outside the demo: no permission
    Map<String, String> production = new HashMap<>(env);
    int strictPort = Ports.freeLoopbackPort();
    production.put(AppConfig.APP_ID_PREFIX, "hooks-strict-" + ProcessHandle.current().pid() + "-");
    production.put(AppConfig.STATE_DIR, dir.resolve("state-strict").toString());
    production.put(AppConfig.HTTP_PORT, Integer.toString(strictPort));
    strict =
        new ServiceProcess(
            "webhooks-strict", Webhooks.class.getName(), production, logs, "running as");
    strictBase = "http://127.0.0.1:" + strictPort;
    // the last test's: a schedule that gives up within seconds
    Map<String, String> quick = new HashMap<>(demo);
    int quickPort = Ports.freeLoopbackPort();
    quick.put(AppConfig.APP_ID_PREFIX, "hooks-quick-" + ProcessHandle.current().pid() + "-");
    quick.put(AppConfig.STATE_DIR, dir.resolve("state-quick").toString());
    quick.put(AppConfig.HTTP_PORT, Integer.toString(quickPort));
    quick.put("WEBHOOKS_GIVE_UP_AFTER", "PT6S");
    givingUp =
        new ServiceProcess("webhooks-quick", Webhooks.class.getName(), quick, logs, "running as");
    givingUpBase = "http://127.0.0.1:" + quickPort;
    hooks.start(false, START);
    strict.start(false, START);
    pipeline = TestPipelines.startOnSharedBroker(config);
    usersA = new ApiClient(pipeline.baseUrl(), "hooks-a", "hooks-a-key");
    usersB = new ApiClient(pipeline.baseUrl(), "hooks-b", "hooks-b-key");
    awaitReady(hooksBase);
    awaitReady(strictBase);
    hooksA = new ApiClient(hooksBase, "hooks-a", "hooks-a-key");
    hooksB = new ApiClient(hooksBase, "hooks-b", "hooks-b-key");
    strictA = new ApiClient(strictBase, "hooks-a", "hooks-a-key");
  }

  @AfterAll
  static void stop() {
    receivers.forEach(WebhookReceiver::close);
    if (hooks != null) {
      hooks.close();
    }
    if (strict != null) {
      strict.close();
    }
    if (givingUp != null) {
      givingUp.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  // ---- (d) the SSRF guard at registration, outside the demo ----

  @Test
  @Order(1)
  void outsideTheDemoAnEndpointOnLoopbackPrivateOrLinkLocalIsRefusedNamingTheUrl() {
    for (String url :
        List.of(
            "https://127.0.0.1/hook",
            "https://localhost/hook",
            "https://10.1.2.3/hook",
            "https://192.168.0.10/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/hook",
            "https://[::ffff:127.0.0.1]/hook")) {
      var answer =
          strictA.post(
              "/v2/webhooks", "{\"url\":\"%s\",\"event_types\":[\"user_created\"]}".formatted(url));
      assertEquals(400, answer.status(), url + ": " + answer.raw().body());
      assertEquals("url", answer.json().at("/error/fields/0/field").asText(), answer.raw().body());
      assertTrue(
          answer.json().at("/error/fields/0/reason").asText().contains("non-public"),
          answer.raw().body());
    }
    var http =
        strictA.post(
            "/v2/webhooks",
            "{\"url\":\"http://hooks.example.com/\",\"event_types\":[\"user_created\"]}");
    assertEquals(400, http.status(), http.raw().body());
    assertTrue(http.raw().body().contains("https"), http.raw().body());
    assertEquals(0, strictA.get("/v2/webhooks").json().get("data").size(), "none was registered");
    assertTrue(strict.stop(), "the strict instance stops cleanly"); // it must not deliver below
  }

  // ---- (a) signed, in order per person and endpoint ----

  @Test
  @Order(2)
  void aPersonsEventsArriveSignedAndInOrder() throws Exception {
    var receiver = receiver();
    everythingOfA = receiver;
    String endpoint = register(hooksA, receiver);
    assertEquals(200, hooksA.get("/v2/webhooks/" + endpoint).status());
    String user = usersA.createUser("Ada", "Hooks", "1990-01-02");
    for (String body : payoutMethods()) {
      var put = usersA.send("PUT", "/v2/users/" + user + "/payout-methods", body);
      assertEquals(200, put.status(), put.raw().body());
    }
    List<String> expected = awaitAllDelivered(receiver, user, 3);
    assertEquals(expected, firstSeen(receiver, user), "in the order of compliance.events");
    assertTrue(receiver.received().stream().allMatch(WebhookReceiver.Received::verified));
    for (var r : receiver.received()) {
      assertEquals(r.webhookId(), JSON.readTree(r.body()).at("/data/event_id").asText());
    }
  }

  // ---- (b) a receiver that fails, then recovers ----

  @Test
  @Order(3)
  void aFailingReceiverThatRecoversGetsEverythingInOrder() throws Exception {
    var receiver = receiver();
    var calls = new AtomicInteger();
    receiver.answer(() -> calls.incrementAndGet() <= 3 ? 500 : 204);
    register(hooksA, receiver);
    String user = usersA.createUser("Bo", "Retry", "1991-02-03");
    for (String body : payoutMethods().subList(0, 1)) {
      var put = usersA.send("PUT", "/v2/users/" + user + "/payout-methods", body);
      assertEquals(200, put.status(), put.raw().body());
    }
    List<String> expected = awaitAllDelivered(receiver, user, 2);
    assertEquals(expected, firstSeen(receiver, user), "nothing lost, in order");
    var ids = receiver.received().stream().filter(r -> r.body().contains(user)).toList();
    assertTrue(ids.size() > expected.size(), "the failed attempts were made again: " + ids.size());
    assertTrue(ids.stream().allMatch(WebhookReceiver.Received::verified));
  }

  // ---- (e) tenant isolation ----

  @Test
  @Order(4)
  void aPlatformHearsOnlyOfItsOwnPeopleAndNothingWhilePending() throws Exception {
    var forA = receiver();
    register(hooksA, forA);
    var forB = receiver();
    register(hooksB, forB);
    String phone = TestPhones.next();
    var created =
        usersA.post(
            "/v2/users",
            """
            {"first_name":"Cy","last_name":"Tenant","email":"cy@example.com","country_code":"1",
             "phone_number":"%s","date_of_birth":"1992-03-04"}"""
                .formatted(phone));
    assertEquals(200, created.status(), created.raw().body());
    String aPerson = created.json().get("id").asText();
    // B asks to connect to A's person: pending until the person confirms, which never happens
    var asked =
        usersB.post(
            "/v2/users",
            """
            {"first_name":"Cy","last_name":"Tenant","email":"cy@example.com","country_code":"1",
             "phone_number":"%s"}"""
                .formatted(phone));
    assertEquals("pending", asked.json().at("/connection/status").asText(), asked.raw().body());
    var put =
        usersA.send("PUT", "/v2/users/" + aPerson + "/payout-methods", payoutMethods().get(0));
    assertEquals(200, put.status(), put.raw().body());
    String bPerson = usersB.createUser("Di", "Own", "1993-04-05");
    awaitAllDelivered(forA, aPerson, 2);
    awaitAllDelivered(forB, bPerson, 1);
    assertFalse(
        forB.received().stream().anyMatch(r -> r.body().contains(aPerson)),
        "B heard of A's person: " + forB.received());
    assertFalse(
        forA.received().stream().anyMatch(r -> r.body().contains(bPerson)),
        "A heard of B's person");

    // the person confirms B with the code: B hears of its own connection, A never does
    var sent = usersB.post("/v2/users/" + aPerson + "/send-verification-token", "");
    assertEquals(202, sent.status(), sent.raw().body());
    String code = awaitCode(phone, "hooks-b asks to connect");
    var verified = usersB.post("/v2/users/" + aPerson + "/verify", "{\"token\":\"" + code + "\"}");
    assertEquals(200, verified.status(), verified.raw().body());
    await(
        () -> forB.received().stream().anyMatch(r -> r.body().contains(aPerson)),
        "B's user_connected");
    var paypal =
        usersA.send("PUT", "/v2/users/" + aPerson + "/payout-methods", payoutMethods().get(1));
    assertEquals(200, paypal.status(), paypal.raw().body());
    // A's four: created, its method added, made the default, its second method; not B's
    await(() -> firstSeen(forA, aPerson).size() >= 4, "A's second payout method");
    List<String> bHeard =
        forB.received().stream()
            .filter(r -> r.body().contains(aPerson))
            .map(WebhooksTest::type)
            .distinct()
            .toList();
    // B hears of its own connection, and may hear of the person's status from then on (the code
    // the person entered verifies their phone too: user_verified goes to every connected platform,
    // B included when it is folded after the connection); never A's creation or A's methods
    assertTrue(bHeard.contains("user_connected"), "B hears its connection: " + bHeard);
    assertTrue(
        bHeard.stream().allMatch(t -> t.equals("user_connected") || t.equals("user_verified")),
        "B hears nothing of A's relation to the person (creation, payout methods): " + bHeard);
    assertFalse(
        forA.received().stream()
            .anyMatch(r -> r.body().contains(aPerson) && type(r).equals("user_connected")),
        "A heard of B's connection");
    assertEquals(404, hooksB.get("/v2/webhooks/" + register(hooksA, receiver())).status());
  }

  // ---- (c) kill -9 in the middle of a delivery ----

  @Test
  @Order(5)
  void killedInTheMiddleOfADeliveryItLosesNothingAndRepeatsOnlyWithTheSameId() throws Exception {
    var receiver = receiver();
    register(hooksA, receiver);
    receiver.hold(); // the request stays open: the service is killed while it waits
    String user = usersA.createUser("Ed", "Killed", "1994-05-06");
    await(
        () -> receiver.received().stream().anyMatch(r -> r.body().contains(user)),
        "a held delivery");
    // the held endpoint holds only itself: another endpoint of A already has the event
    await(
        () -> everythingOfA.received().stream().anyMatch(r -> r.body().contains(user)),
        "the other endpoint's delivery while one is held");
    hooks.kill();
    var put = usersA.send("PUT", "/v2/users/" + user + "/payout-methods", payoutMethods().get(0));
    assertEquals(200, put.status(), put.raw().body());
    receiver.release();
    hooks.start(false, START);
    awaitReady(hooksBase);
    List<String> expected = awaitAllDelivered(receiver, user, 2);
    assertEquals(expected, firstSeen(receiver, user), "nothing lost, in order");
    var got = receiver.received().stream().filter(r -> r.body().contains(user)).toList();
    assertTrue(got.size() > expected.size(), "the interrupted delivery was made again");
    for (var r : got) {
      assertEquals(r.webhookId(), JSON.readTree(r.body()).at("/data/event_id").asText());
      assertTrue(expected.contains(r.webhookId()), "a duplicate keeps its webhook-id");
    }
  }

  // ---- after the schedule gives up: disabled, listed, replayed ----

  @Test
  @Order(6)
  void afterTheScheduleGivesUpTheEndpointIsDisabledAndAReplayDeliversWhatFailedInOrder()
      throws Exception {
    assertTrue(hooks.stop(), "the first instance stops cleanly"); // only the quick one delivers
    givingUp.start(false, START);
    awaitReady(givingUpBase);
    var client = new ApiClient(givingUpBase, "hooks-a", "hooks-a-key");
    var receiver = receiver();
    receiver.answer(() -> 503);
    String endpoint = register(client, receiver);
    String user = usersA.createUser("Fay", "Replay", "1995-06-07");
    var put = usersA.send("PUT", "/v2/users/" + user + "/payout-methods", payoutMethods().get(0));
    assertEquals(200, put.status(), put.raw().body());
    await(
        () ->
            "failing"
                .equals(
                    client.get("/v2/webhooks/" + endpoint).json().path("disabled_reason").asText()),
        "the endpoint disabled");
    var shown = client.get("/v2/webhooks/" + endpoint).json();
    assertEquals("disabled", shown.get("status").asText(), shown.toString());
    List<String> expected = complianceEvents(user);
    var failed = client.get("/v2/webhooks/" + endpoint + "/failed").json();
    // other people's queues of this endpoint may be listed too (waiting while it is disabled)
    var listed = new ArrayList<String>();
    boolean gaveUp = false;
    for (var e : failed.get("data")) {
      gaveUp |= !e.get("gave_up_at").isNull();
      if (e.get("user_id").asText().equals(user)) {
        listed.add(e.get("event_id").asText());
      }
    }
    assertEquals(expected, listed, failed.toString());
    assertTrue(gaveUp, failed.toString());

    receiver.answer(() -> 204);
    var replay = client.post("/v2/webhooks/" + endpoint + "/replay", "{}");
    assertEquals(202, replay.status(), replay.raw().body());
    awaitAllDelivered(receiver, user, expected.size());
    var delivered =
        receiver.received().stream()
            .filter(r -> r.body().contains(user))
            .map(WebhookReceiver.Received::webhookId)
            .toList();
    assertEquals(expected.get(expected.size() - 1), delivered.get(delivered.size() - 1));
    assertEquals(expected, firstSeen(receiver, user), "in order");
    assertEquals("enabled", client.get("/v2/webhooks/" + endpoint).json().get("status").asText());
    await(
        () -> client.get("/v2/webhooks/" + endpoint + "/failed").json().get("data").isEmpty(),
        "nothing left undelivered");
  }

  // ---- helpers ----

  private static String type(WebhookReceiver.Received r) {
    try {
      return JSON.readTree(r.body()).get("type").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The code as the person's phone got it: the last text to this phone saying who asks. */
  private static String awaitCode(String phone, String asking) throws Exception {
    var pattern = java.util.regex.Pattern.compile("code is ([0-9]{6})");
    Path outbox = dir.resolve("webhooks-sms.txt");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (java.nio.file.Files.exists(outbox)) {
        String found = null;
        for (String line : java.nio.file.Files.readString(outbox).split("\n")) {
          var m = pattern.matcher(line);
          if (line.contains("+1" + phone) && line.contains(asking) && m.find()) {
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

  private static WebhookReceiver receiver() {
    try {
      var r = new WebhookReceiver();
      receivers.add(r);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Registers the receiver for every type; hands it the secret answered once. */
  private static String register(ApiClient client, WebhookReceiver receiver) {
    var answer =
        client.post(
            "/v2/webhooks",
            """
            {"url":"%s","event_types":["user_created","user_connected","user_verified",
             "tin_status_changed","ofac_status_changed","payout_method_added",
             "default_payout_method_changed","payout_method_removed"]}"""
                .formatted(receiver.url()));
    assertEquals(201, answer.status(), answer.raw().body());
    receiver.secret(answer.json().get("secret").asText());
    return answer.json().get("id").asText();
  }

  private static List<String> payoutMethods() {
    return List.of(
        """
        {"platform":"ach","routing_number":"011000015","account_number":"000123456789",
         "account_type":"checking"}""",
        "{\"platform\":\"paypal\",\"email\":\"hooks@example.com\"}");
  }

  /** The person's compliance events, in topic order (one partition per person). */
  private static List<String> complianceEvents(String user) {
    return TopicDump.readAll(config, Topics.COMPLIANCE_EVENTS).stream()
        .filter(r -> user.equals(r.key()))
        .map(r -> ((ComplianceEvent) r.value()).getEventId())
        .toList();
  }

  /** The ids the receiver got about the person, each once, in the order it first got them. */
  private static List<String> firstSeen(WebhookReceiver receiver, String user) {
    var ids = new LinkedHashSet<String>();
    for (var r : receiver.received()) {
      if (r.body().contains(user)) {
        ids.add(r.webhookId());
      }
    }
    return List.copyOf(ids);
  }

  /**
   * Waits until the person has at least {@code atLeast} compliance events and the receiver has
   * received each of them; answers them in topic order.
   */
  private static List<String> awaitAllDelivered(WebhookReceiver receiver, String user, int atLeast)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> expected = List.of();
    while (System.nanoTime() < deadline) {
      expected = complianceEvents(user);
      if (expected.size() >= atLeast && firstSeen(receiver, user).containsAll(expected)) {
        return expected;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "not all delivered within "
            + WAIT
            + ": expected "
            + expected
            + ", got "
            + firstSeen(receiver, user)
            + "; see "
            + hooks.lastLog());
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(what + " not within " + WAIT + "; see " + hooks.lastLog());
  }

  private static void awaitReady(String base) throws InterruptedException {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        var answer =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError(base + " not ready within " + START);
  }
}
