package io.userpipe.webhooks.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TestDriverProps;
import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.WebhookAttempt;
import io.userpipe.schemas.WebhookEndpoint;
import io.userpipe.schemas.WebhookEndpointStatus;
import io.userpipe.schemas.WebhookSecret;
import io.userpipe.webhooks.domain.RetrySchedule;
import io.userpipe.webhooks.endpoints.EndpointDirectory;
import io.userpipe.webhooks.worker.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery topology on a test driver: the worker is a list of the attempts handed to it, the
 * wall clock is moved by hand, outcomes are piped in as the worker would write them.
 */
class WebhooksTopologyTest {

  private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
  private static final RetrySchedule FAST =
      new RetrySchedule(Duration.ofSeconds(1), 4, Duration.ofSeconds(10), Duration.ofSeconds(30));
  private static final Duration LEASE = Duration.ofSeconds(20);

  /** A clock the test moves together with the driver's wall clock. */
  private static final class MovingClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final DataKeys dataKeys = DataKeys.parse(DataKeys.generateEntry("k1"), null);
  private final EndpointDirectory endpoints = new EndpointDirectory(dataKeys);
  private final List<Delivery> handed = new ArrayList<>();
  private final Set<String> busy = new CopyOnWriteArraySet<>();
  private final MovingClock clock = new MovingClock();
  private TopologyTestDriver driver;
  private TestInputTopic<String, ComplianceEvent> events;
  private TestInputTopic<String, WebhookAttempt> attempts;
  private final List<WebhookEndpoint> disabled = new ArrayList<>();

  @BeforeEach
  void setUp() {
    var serdes = new AvroSerdes(SharedRegistry.url());
    endpoints.apply(
        "ep-a",
        endpoint(
            "ep-a",
            "platform-a",
            Set.of("user_created", "tin_status_changed", "user_connected", "ofac_status_changed")));
    endpoints.apply("ep-a2", endpoint("ep-a2", "platform-a", Set.of("tin_status_changed")));
    endpoints.apply(
        "ep-b",
        endpoint(
            "ep-b",
            "platform-b",
            Set.of("user_created", "tin_status_changed", "user_connected", "ofac_status_changed")));
    var settings = new WebhooksTopology.Settings(FAST, LEASE, Duration.ofMillis(500));
    driver =
        new TopologyTestDriver(
            WebhooksTopology.build(
                serdes,
                endpoints,
                e -> {
                  disabled.add(e);
                  endpoints.apply(e.getEndpointId(), e);
                },
                d -> !busy.contains(d.endpointId()) && handed.add(d),
                settings,
                new WebhookMetrics(),
                new Random(7),
                clock),
            TestDriverProps.of("webhooks-test"),
            T0);
    events =
        driver.createInputTopic(
            Topics.COMPLIANCE_EVENTS.name(),
            serdes.keySerde(Topics.COMPLIANCE_EVENTS).serializer(),
            serdes.valueSerde(Topics.COMPLIANCE_EVENTS).serializer());
    attempts =
        driver.createInputTopic(
            Topics.WEBHOOK_ATTEMPTS.name(),
            serdes.keySerde(Topics.WEBHOOK_ATTEMPTS).serializer(),
            serdes.valueSerde(Topics.WEBHOOK_ATTEMPTS).serializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private WebhookEndpoint endpoint(String id, String platform, Set<String> types) {
    return WebhookEndpoint.newBuilder()
        .setEndpointId(id)
        .setPlatformId(platform)
        .setUrl("https://hooks.example.com/" + id)
        .setEventTypes(new ArrayList<>(types))
        .setStatus(WebhookEndpointStatus.ENABLED)
        .setSecrets(
            List.of(
                new WebhookSecret(
                    endpoints.seal(id, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), null)))
        .setCreatedAt(T0)
        .setChangedAt(T0)
        .build();
  }

  private void event(String id, String user, String type, String platform) {
    events.pipeInput(
        user,
        ComplianceEvent.newBuilder()
            .setEventId(id)
            .setUserId(user)
            .setType(type)
            .setPreviousStatus(type.endsWith("_changed") ? "pending" : null)
            .setNewStatus(type.endsWith("_changed") ? "matched" : null)
            .setEvidence(Map.of("tin_last_four", "6789"))
            .setOccurredAt(clock.now)
            .setPlatformId(platform)
            .build());
  }

  private void outcome(Delivery d, boolean ok) {
    attempts.pipeInput(
        d.userId(),
        new WebhookAttempt(
            d.endpointId(),
            d.userId(),
            d.eventId(),
            d.attempt(),
            ok,
            ok ? 204 : 500,
            ok ? null : "HTTP 500",
            clock.now));
  }

  private void advance(Duration d) {
    clock.now = clock.now.plus(d);
    driver.advanceWallClockTime(d);
  }

  private Delivery last(String endpoint) {
    Delivery found = null;
    for (Delivery d : handed) {
      if (d.endpointId().equals(endpoint)) {
        found = d;
      }
    }
    return found;
  }

  private List<String> handedTo(String endpoint) {
    return handed.stream()
        .filter(d -> d.endpointId().equals(endpoint))
        .map(Delivery::eventId)
        .toList();
  }

  @Test
  void deliversAPersonsEventsToAnEndpointOneAtATimeInOrder() {
    event("e1", "u1", "user_created", "platform-a");
    event("e2", "u1", "tin_status_changed", null);
    event("e3", "u1", "ofac_status_changed", null);
    advance(Duration.ofSeconds(1));
    assertEquals(List.of("e1"), handedTo("ep-a"), "only the head is in flight");
    outcome(last("ep-a"), true);
    advance(Duration.ofSeconds(1));
    assertEquals(List.of("e1", "e2"), handedTo("ep-a"));
    outcome(last("ep-a"), true);
    advance(Duration.ofSeconds(1));
    assertEquals(List.of("e1", "e2", "e3"), handedTo("ep-a"));
  }

  @Test
  void queuesOnlyForEndpointsSubscribedToTheType() {
    event("e1", "u1", "user_created", "platform-a");
    event("e2", "u1", "tin_status_changed", null);
    advance(Duration.ofSeconds(1));
    assertEquals(List.of("e2"), handedTo("ep-a2"), "ep-a2 hears of TIN changes only");
  }

  @Test
  void anEndpointHearsNothingThatHappenedBeforeItWasRegistered() {
    endpoints.apply(
        "ep-late",
        WebhookEndpoint.newBuilder(
                endpoint("ep-late", "platform-a", Set.of("user_created", "tin_status_changed")))
            .setCreatedAt(T0.plusSeconds(60))
            .build());
    event("e1", "u1", "user_created", "platform-a"); // at T0: read late, before ep-late existed
    advance(Duration.ofSeconds(61));
    event("e2", "u1", "tin_status_changed", null);
    advance(Duration.ofSeconds(1));
    assertEquals(List.of("e2"), handedTo("ep-late"));
  }

  @Test
  void aPayloadCarriesNoEvidenceNorThePlatform() {
    event("e1", "u1", "user_created", "platform-a");
    event("e2", "u1", "tin_status_changed", null);
    advance(Duration.ofSeconds(1));
    String body = new String(last("ep-a2").payload(), StandardCharsets.UTF_8);
    assertTrue(body.contains("\"new_status\":\"matched\""), body);
    assertTrue(!body.contains("6789") && !body.contains("platform-a"), body);
  }

  @Test
  void anotherPlatformNeverHearsOfAPersonNotConnectedToIt() {
    event("e1", "u1", "user_created", "platform-a");
    event("e2", "u1", "tin_status_changed", null);
    advance(Duration.ofSeconds(1));
    assertEquals(List.of(), handedTo("ep-b"));
    // u1 confirms platform-b: b hears its own connection and later status, never a's creation
    event("e3", "u1", "user_connected", "platform-b");
    event("e4", "u1", "ofac_status_changed", null);
    advance(Duration.ofSeconds(1));
    outcome(
        handed.stream().filter(d -> d.endpointId().equals("ep-b")).findFirst().orElseThrow(), true);
    advance(Duration.ofSeconds(1));
    assertEquals(List.of("e3", "e4"), handedTo("ep-b"));
    // and a never hears of b's connection
    for (Delivery d : List.copyOf(handed)) {
      if (d.endpointId().equals("ep-a")) {
        outcome(d, true);
        advance(Duration.ofSeconds(1));
      }
    }
    advance(Duration.ofSeconds(1));
    assertTrue(!handedTo("ep-a").contains("e3"), handedTo("ep-a").toString());
  }

  @Test
  void aFailedAttemptIsMadeAgainWithTheSameIdAndWhatFollowsWaits() {
    event("e1", "u1", "user_created", "platform-a");
    event("e2", "u1", "tin_status_changed", null);
    advance(Duration.ofSeconds(1));
    outcome(last("ep-a"), false);
    advance(Duration.ofMillis(500));
    assertEquals(List.of("e1"), handedTo("ep-a"), "waits for the backoff");
    advance(Duration.ofSeconds(2));
    assertEquals(List.of("e1", "e1"), handedTo("ep-a"), "the same event again");
    assertEquals(2, last("ep-a").attempt());
    outcome(last("ep-a"), true);
    advance(Duration.ofSeconds(1));
    assertEquals(List.of("e1", "e1", "e2"), handedTo("ep-a"));
  }

  @Test
  void anAttemptWhoseOutcomeNeverComesIsMadeAgainAfterItsLease() {
    event("e1", "u1", "user_created", "platform-a");
    advance(Duration.ofSeconds(1));
    assertEquals(List.of("e1"), handedTo("ep-a"));
    advance(LEASE.plusSeconds(3)); // the worker's process died: no outcome
    advance(Duration.ofSeconds(2)); // the first backoff
    assertEquals(List.of("e1", "e1"), handedTo("ep-a"));
  }

  @Test
  void aBusyEndpointHoldsOnlyItsOwnQueues() {
    busy.add("ep-a");
    event("e1", "u1", "user_created", "platform-a");
    event("e2", "u2", "user_created", "platform-b");
    advance(Duration.ofSeconds(1));
    assertEquals(List.of(), handedTo("ep-a"));
    assertEquals(List.of("e2"), handedTo("ep-b"));
    busy.clear();
    advance(Duration.ofSeconds(2));
    assertEquals(List.of("e1"), handedTo("ep-a"), "offered again once it has room");
  }

  @Test
  void givesUpThenDisablesTheEndpointAndAReplayDeliversAgain() {
    event("e1", "u1", "user_created", "platform-a");
    event("e2", "u1", "tin_status_changed", null);
    for (int i = 0; i < 40 && disabled.isEmpty(); i++) {
      advance(Duration.ofSeconds(1));
      var last = last("ep-a");
      if (last != null && !answered.contains(last)) {
        answered.add(last);
        outcome(last, false);
      }
    }
    WebhookEndpoint disabled = this.disabled.get(0);
    assertEquals(WebhookEndpointStatus.DISABLED, disabled.getStatus());
    assertEquals("failing", disabled.getDisabledReason());
    int before = handedTo("ep-a").size();
    advance(Duration.ofSeconds(10));
    assertEquals(before, handedTo("ep-a").size(), "nothing while disabled");
    // the platform replays: enabled again, asked after the give-up
    endpoints.apply(
        "ep-a",
        WebhookEndpoint.newBuilder(disabled)
            .setStatus(WebhookEndpointStatus.ENABLED)
            .setDisabledReason(null)
            .setReplayRequestedAt(clock.now)
            .build());
    advance(Duration.ofSeconds(1));
    advance(Duration.ofSeconds(1));
    List<String> after = handedTo("ep-a");
    assertEquals("e1", after.get(after.size() - 1), "the head again, then the rest");
    outcome(last("ep-a"), true);
    advance(Duration.ofSeconds(1));
    assertEquals("e2", handedTo("ep-a").get(handedTo("ep-a").size() - 1));
  }

  private final List<Delivery> answered = new ArrayList<>();
}
