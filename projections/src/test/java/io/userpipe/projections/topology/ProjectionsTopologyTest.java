package io.userpipe.projections.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.projections.rebuild.ReplayBoundary;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TestDriverProps;
import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.ComplianceHistory;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.SmsDelivery;
import io.userpipe.schemas.TinSubmitted;
import io.userpipe.schemas.TinVerification;
import io.userpipe.schemas.TopicSpec;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserDeleted;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserVerified;
import io.userpipe.schemas.UserView;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The views and the compliance events the folds derive from the three event topics. */
class ProjectionsTopologyTest {

  private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
  private static final EncryptedValue SEALED =
      new EncryptedValue("user:u1", ByteBuffer.wrap(new byte[12]), ByteBuffer.wrap(new byte[] {1}));
  private static final AvroSerdes SERDES = new AvroSerdes(SharedRegistry.url());

  /** A driver with one input per event topic and the compliance events as output. */
  private static final class Pipeline implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<String, UserEvent> events;
    final TestInputTopic<String, TinVerification> tins;
    final TestInputTopic<String, OfacStatusChanged> screenings;
    final TestInputTopic<String, SmsDelivery> deliveries;
    final TestOutputTopic<String, ComplianceEvent> compliance;
    final KeyValueStore<String, UserView> users;
    final KeyValueStore<String, String> byPlatform;
    final KeyValueStore<String, String> reviewQueue;

    Pipeline(Topology topology) {
      var props = TestDriverProps.of("projections-test");
      driver = new TopologyTestDriver(topology, props, T0);
      events = input(Topics.USER_EVENTS);
      tins = input(Topics.TIN_VERIFICATIONS);
      screenings = input(Topics.OFAC_SCREENINGS);
      deliveries = input(Topics.SMS_DELIVERIES);
      compliance =
          driver.createOutputTopic(
              Topics.COMPLIANCE_EVENTS.name(),
              SERDES.keySerde(Topics.COMPLIANCE_EVENTS).deserializer(),
              SERDES.valueSerde(Topics.COMPLIANCE_EVENTS).deserializer());
      users = driver.getKeyValueStore(ProjectionsTopology.USERS_BY_ID);
      byPlatform = driver.getKeyValueStore(ProjectionsTopology.USERS_BY_PLATFORM);
      reviewQueue = driver.getKeyValueStore(ProjectionsTopology.OFAC_REVIEW_QUEUE);
    }

    private <V> TestInputTopic<String, V> input(TopicSpec<String, V> topic) {
      return driver.createInputTopic(
          topic.name(), SERDES.keySerde(topic).serializer(), SERDES.valueSerde(topic).serializer());
    }

    /** The types of the compliance events published since the last call, in order. */
    List<String> published() {
      List<String> types = new ArrayList<>();
      for (KeyValue<String, ComplianceEvent> kv : compliance.readKeyValuesToList()) {
        assertEquals(kv.key, kv.value.getUserId(), "keyed by user id");
        types.add(kv.value.getType() + ":" + kv.value.getNewStatus());
      }
      return types;
    }

    @Override
    public void close() {
      driver.close();
    }
  }

  private static UserEvent event(long version, Object payload) {
    return UserEvent.newBuilder()
        .setEventId("e" + version)
        .setUserId("u1")
        .setVersion(version)
        .setOccurredAt(T0.plusSeconds(version))
        .setPlatformId("p1")
        .setPayload(payload)
        .build();
  }

  private static UserEvent tinSubmitted(long version) {
    return event(version, new TinSubmitted("s1", "individual", "ssn", "6789", SEALED, null));
  }

  private static TinVerification tin(String to) {
    return TinVerification.newBuilder()
        .setEventId("tin-" + to)
        .setUserId("u1")
        .setSubmissionId("s1")
        .setToStatus(to)
        .setReason("irs_answer")
        .setOccurredAt(T0.plusSeconds(30))
        .build();
  }

  private static OfacStatusChanged ofac(String status, String reason, int second) {
    return OfacStatusChanged.newBuilder()
        .setEventId("ofac-" + status + "-" + second)
        .setUserId("u1")
        .setStatus(status)
        .setReason(reason)
        .setListVersion("v1")
        .setOccurredAt(T0.plusSeconds(second))
        .build();
  }

  /** Created, TIN submitted, screened, verified, TIN matched: the same input for both tests. */
  private static void onboard(Pipeline p) {
    p.events.pipeInput("u1", event(1, new UserCreated(SEALED)));
    p.events.pipeInput("u1", tinSubmitted(2));
    p.screenings.pipeInput("u1", ofac("unflagged", "screening", 3));
    p.events.pipeInput("u1", event(4, new UserVerified()));
    p.tins.pipeInput("u1", tin("matched"));
  }

  @Test
  void everyChangeOfAUsersViewIsPublishedOnceInOrder() {
    try (var p = new Pipeline(ProjectionsTopology.build(SERDES))) {
      onboard(p);
      assertEquals(
          List.of(
              "user_created:unverified",
              "tin_status_changed:pending",
              "ofac_status_changed:unflagged",
              "user_verified:verified",
              "tin_status_changed:matched"),
          p.published());
      UserView view = p.users.get("u1");
      assertEquals("verified", view.getStatus());
      assertEquals("matched", view.getCompliance().getTaxIdVerification());
      assertEquals("6789", view.getCompliance().getTinLast4());
      assertEquals("unflagged", view.getCompliance().getOfacStatus());
      assertEquals(T0.plusSeconds(3), view.getCompliance().getOfacScreenedAt());
      assertEquals(T0.plusSeconds(30), view.getUpdated());
    }
  }

  @Test
  void anSmsDeliveryFoldsIntoTheLastCodeAndPublishesNoComplianceEvent() {
    try (var p = new Pipeline(ProjectionsTopology.build(SERDES))) {
      p.events.pipeInput("u1", event(1, new UserCreated(SEALED)));
      p.published();
      p.deliveries.pipeInput(
          "u1",
          SmsDelivery.newBuilder()
              .setEventId("m1/refused")
              .setMessageId("m1")
              .setUserId("u1")
              .setPlatformId("p1")
              .setMessageCreatedAt(T0.plusSeconds(5))
              .setStatus("refused")
              .setErrorCode("21211")
              .setOccurredAt(T0.plusSeconds(6))
              .build());

      assertEquals(List.of(), p.published());
      var last = p.users.get("u1").getLastCode();
      assertEquals("refused", last.getStatus());
      assertEquals("21211", last.getErrorCode());
      p.events.pipeInput("u1", event(2, new UserVerified()));
      assertEquals("m1", p.users.get("u1").getLastCode().getMessageId(), "kept by later events");
    }
  }

  @Test
  void aDeliveryReadBeforeItsUsersCreationIsFoldedInWhenTheUserIsCreated() {
    try (var p = new Pipeline(ProjectionsTopology.build(SERDES))) {
      for (String status : List.of("accepted", "delivered", "sent")) {
        p.deliveries.pipeInput(
            "u1",
            SmsDelivery.newBuilder()
                .setEventId("m1/" + status)
                .setMessageId("m1")
                .setUserId("u1")
                .setPlatformId("p1")
                .setMessageCreatedAt(T0.plusSeconds(5))
                .setStatus(status)
                .setOccurredAt(T0.plusSeconds(6))
                .build());
      }
      p.events.pipeInput("u1", event(1, new UserCreated(SEALED)));

      assertEquals("delivered", p.users.get("u1").getLastCode().getStatus());
    }
  }

  @Test
  void aRebuildFoldsRecordsBeforeTheMarksAgainWithoutPublishingThem() {
    var marks =
        new ReplayBoundary(
            "r1",
            Map.of(
                new TopicPartition(Topics.USER_EVENTS.name(), 0), new ReplayBoundary.Range(0, 2),
                new TopicPartition(Topics.OFAC_SCREENINGS.name(), 0),
                    new ReplayBoundary.Range(0, 1),
                new TopicPartition(Topics.TIN_VERIFICATIONS.name(), 0),
                    new ReplayBoundary.Range(0, 0)));
    UserView live;
    try (var p = new Pipeline(ProjectionsTopology.build(SERDES))) {
      onboard(p);
      live = p.users.get("u1");
    }
    try (var p = new Pipeline(ProjectionsTopology.build(SERDES, marks))) {
      onboard(p);
      // users.events offsets 0-1 and ofac.screenings offset 0 were published before the rebuild
      assertEquals(List.of("user_verified:verified", "tin_status_changed:matched"), p.published());
      assertEquals(live, p.users.get("u1"), "the replayed view equals the live one");

      p.events.pipeInput("u1", event(5, new UserDeleted()));
      assertEquals(List.of("user_deleted:null"), p.published(), "after the marks, all again");
    }
  }

  @Test
  void theComplianceHistoryKeepsEveryChangeAndAReplayInAnotherOrderFoldsTheSame() {
    ComplianceHistory live;
    try (var p = new Pipeline(ProjectionsTopology.build(SERDES))) {
      onboard(p);
      p.screenings.pipeInput("u1", ofac("in_review", "id_verification", 40));
      live =
          p.driver
              .<String, ComplianceHistory>getKeyValueStore(ProjectionsTopology.COMPLIANCE_HISTORY)
              .get("u1");
    }
    assertEquals(
        List.of("ofac:unflagged", "tin:matched", "ofac:in_review"),
        live.getChanges().stream().map(c -> c.getKind() + ":" + c.getStatus()).toList());
    try (var p = new Pipeline(ProjectionsTopology.build(SERDES))) {
      // the verifications and screenings before the user, and the later screening first
      p.screenings.pipeInput("u1", ofac("in_review", "id_verification", 40));
      p.tins.pipeInput("u1", tin("matched"));
      p.screenings.pipeInput("u1", ofac("unflagged", "screening", 3));
      p.events.pipeInput("u1", event(1, new UserCreated(SEALED)));
      p.screenings.pipeInput("u1", ofac("unflagged", "screening", 3)); // folded twice: once
      assertEquals(
          live,
          p.driver
              .<String, ComplianceHistory>getKeyValueStore(ProjectionsTopology.COMPLIANCE_HISTORY)
              .get("u1"));
    }
  }

  /**
   * Each user's latest OFAC status and TIN verification are copies of ofac.screenings and
   * tin.verifications: restored from those topics, they write no changelog (a record per user
   * each), while the user view, a fold of several topics, has one.
   */
  @Test
  void theLatestStatusesAreRestoredFromTheirTopicsAndWriteNoChangelog() {
    try (var p = new Pipeline(ProjectionsTopology.build(SERDES))) {
      onboard(p);
      var written = p.driver.producedTopicNames();
      assertTrue(
          written.stream().anyMatch(t -> t.endsWith("-users-by-id-changelog")), written.toString());
      assertTrue(
          written.stream().noneMatch(t -> t.endsWith("-ofac-statuses-changelog")),
          written.toString());
      assertTrue(
          written.stream().noneMatch(t -> t.endsWith("-tin-statuses-changelog")),
          written.toString());
      KeyValueStore<String, OfacStatusChanged> statuses =
          p.driver.getKeyValueStore(ProjectionsTopology.OFAC_STATUSES);
      assertEquals("unflagged", statuses.get("u1").getStatus());
    }
  }

  @Test
  void aScreeningThatArrivesBeforeTheUserIsFoldedInWhenTheUserIsCreated() {
    try (var p = new Pipeline(ProjectionsTopology.build(SERDES))) {
      p.screenings.pipeInput("u1", ofac("in_review", "screening", 1));
      assertTrue(p.published().isEmpty(), "no user, no event yet");
      assertEquals("u1", p.reviewQueue.get("in_review/u1"));

      p.events.pipeInput("u1", event(1, new UserCreated(SEALED)));
      assertEquals(
          List.of("user_created:unverified", "ofac_status_changed:in_review"), p.published());
      assertEquals("in_review", p.users.get("u1").getCompliance().getOfacStatus());
    }
  }

  @Test
  void aClearedReviewLeavesTheQueueAndADeletedUserLeavesTheIndexes() {
    try (var p = new Pipeline(ProjectionsTopology.build(SERDES))) {
      p.events.pipeInput("u1", event(1, new UserCreated(SEALED)));
      p.screenings.pipeInput("u1", ofac("in_review", "screening", 2));
      assertEquals("u1", p.reviewQueue.get("in_review/u1"));
      assertEquals(1, count(p.byPlatform));

      p.screenings.pipeInput("u1", ofac("unflagged", "review", 3));
      assertNull(p.reviewQueue.get("in_review/u1"));
      p.screenings.pipeInput("u1", ofac("in_review", "rescreening", 4));
      assertEquals("u1", p.reviewQueue.get("in_review/u1"));

      p.events.pipeInput("u1", event(2, new UserDeleted()));
      assertNull(p.reviewQueue.get("in_review/u1"), "nobody reviews a deleted user");
      assertEquals(0, count(p.byPlatform), "a deleted user is not listed");
      assertTrue(p.users.get("u1").getDeleted());
      p.published();

      p.screenings.pipeInput("u1", ofac("unflagged", "review", 5));
      assertTrue(p.published().isEmpty(), "a deleted user's view no longer changes");
    }
  }

  @Test
  void aVerificationFoldedBeforeItsSubmissionIsAppliedWhenTheSubmissionComes() {
    try (var p = new Pipeline(ProjectionsTopology.build(SERDES))) {
      p.events.pipeInput("u1", event(1, new UserCreated(SEALED)));
      p.published();
      p.tins.pipeInput("u1", tin("matched"));
      assertEquals("unsubmitted", p.users.get("u1").getCompliance().getTaxIdVerification());
      p.events.pipeInput("u1", tinSubmitted(2));
      assertEquals("matched", p.users.get("u1").getCompliance().getTaxIdVerification());
      assertEquals(
          List.of("tin_status_changed:pending", "tin_status_changed:matched"), p.published());
    }
  }

  @Test
  void aChangeFoldedLateNeverMovesUpdatedBack() {
    try (var p = new Pipeline(ProjectionsTopology.build(SERDES))) {
      p.events.pipeInput("u1", event(1, new UserCreated(SEALED)));
      p.events.pipeInput("u1", event(10, new UserVerified()));
      p.screenings.pipeInput("u1", ofac("unflagged", "screening", 3));
      UserView view = p.users.get("u1");
      assertEquals(T0.plusSeconds(10), view.getUpdated());
      assertEquals(T0.plusSeconds(3), view.getCompliance().getOfacScreenedAt());
    }
  }

  private static int count(KeyValueStore<String, String> store) {
    int n = 0;
    try (var it = store.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }
}
