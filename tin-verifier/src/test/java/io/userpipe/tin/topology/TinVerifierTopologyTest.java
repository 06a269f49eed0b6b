package io.userpipe.tin.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.UserKeys;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TestDriverProps;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.TinCheck;
import io.userpipe.schemas.TinCheckOutcome;
import io.userpipe.schemas.TinCheckRequest;
import io.userpipe.schemas.TinCheckResponse;
import io.userpipe.schemas.TinSubmitted;
import io.userpipe.schemas.TinVerification;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserKey;
import io.userpipe.tin.domain.RetryPolicy;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The verification life cycle on a test driver, wall-clock punctuation driven by hand. */
class TinVerifierTopologyTest {

  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
  private static final RetryPolicy RETRIES =
      new RetryPolicy(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(10));

  private final DataKeys dataKeys = DataKeys.parse(DataKeys.generateEntry("k1"), null);
  private final UserKeys userKeys = new UserKeys(dataKeys);
  private final java.util.List<io.userpipe.schemas.RetentionKey> published =
      new java.util.ArrayList<>();
  private final io.userpipe.runtime.crypto.RetentionKeys retention =
      new io.userpipe.runtime.crypto.RetentionKeys(
          dataKeys,
          io.userpipe.runtime.crypto.RetentionPolicy.DEFAULT,
          Clock.fixed(T0, ZoneOffset.UTC),
          published::add);
  private TopologyTestDriver driver;
  private TestInputTopic<String, UserKey> keys;
  private TestInputTopic<String, UserEvent> events;
  private TestInputTopic<String, TinCheckResponse> responses;
  private TestOutputTopic<String, TinVerification> verifications;
  private TestOutputTopic<String, TinCheckRequest> requests;
  private EncryptedValue userKey;

  @BeforeEach
  void setUp() {
    var serdes = new AvroSerdes(SharedRegistry.url());
    var props = TestDriverProps.of("tin-verifier-test");
    driver =
        new TopologyTestDriver(
            TinVerifierTopology.build(
                serdes, dataKeys, retention, RETRIES, Clock.fixed(T0, ZoneOffset.UTC)),
            props,
            T0);
    keys =
        driver.createInputTopic(
            Topics.USER_KEYS.name(),
            serdes.keySerde(Topics.USER_KEYS).serializer(),
            serdes.valueSerde(Topics.USER_KEYS).serializer());
    events =
        driver.createInputTopic(
            Topics.USER_EVENTS.name(),
            serdes.keySerde(Topics.USER_EVENTS).serializer(),
            serdes.valueSerde(Topics.USER_EVENTS).serializer());
    responses =
        driver.createInputTopic(
            Topics.TIN_RESPONSES.name(),
            serdes.keySerde(Topics.TIN_RESPONSES).serializer(),
            serdes.valueSerde(Topics.TIN_RESPONSES).serializer());
    verifications =
        driver.createOutputTopic(
            Topics.TIN_VERIFICATIONS.name(),
            serdes.keySerde(Topics.TIN_VERIFICATIONS).deserializer(),
            serdes.valueSerde(Topics.TIN_VERIFICATIONS).deserializer());
    requests =
        driver.createOutputTopic(
            Topics.TIN_REQUESTS.name(),
            serdes.keySerde(Topics.TIN_REQUESTS).deserializer(),
            serdes.valueSerde(Topics.TIN_REQUESTS).deserializer());
    userKey = userKeys.newWrappedKey("u1");
    keys.pipeInput("u1", new UserKey("u1", userKey));
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private void submit(String submissionId) throws Exception {
    var check = new TinCheck("123456789", "ssn", "Ada Lovelace", false);
    byte[] bytes = toBytes(TinCheck.getEncoder().encode(check));
    var submitted =
        new TinSubmitted(
            submissionId,
            "individual",
            "ssn",
            "6789",
            userKeys.seal(userKey, "u1", "tin", bytes),
            null);
    events.pipeInput(
        "u1",
        UserEvent.newBuilder()
            .setEventId("e-" + submissionId)
            .setUserId("u1")
            .setVersion(2)
            .setOccurredAt(T0)
            .setPayload(submitted)
            .build());
  }

  private void answer(String submissionId, TinCheckOutcome outcome, Integer code, Long retryAfter) {
    responses.pipeInput(
        "u1", new TinCheckResponse(submissionId, "u1", 1, outcome, code, retryAfter, null));
  }

  private static byte[] toBytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void aSubmissionIsPendingAndAsksTheWorkerWithTheTinSealedForIt() throws Exception {
    submit("s1");
    var pending = verifications.readValue();
    assertEquals("pending", pending.getToStatus());
    var request = requests.readValue();
    assertEquals("s1", request.getSubmissionId());
    assertEquals(1, request.getAttempt());
    byte[] opened = dataKeys.open(request.getCheck(), "tin-check:s1");
    assertEquals("123456789", TinCheck.getDecoder().decode(opened).getTin());
  }

  @Test
  void aMatchingAnswerMakesItMatchedAndAMismatchMismatched() throws Exception {
    submit("s1");
    verifications.readValue();
    answer("s1", TinCheckOutcome.ANSWERED, 0, null);
    var matched = verifications.readValue();
    assertEquals("matched", matched.getToStatus());
    assertEquals("pending", matched.getFromStatus());
    assertEquals(0, matched.getIrsCode());

    submit("s2");
    assertEquals("pending", verifications.readValue().getToStatus());
    answer("s2", TinCheckOutcome.ANSWERED, 3, null);
    assertEquals("mismatched", verifications.readValue().getToStatus());
  }

  @Test
  void eachDecisionNamesWhomItWasAboutUnderARetentionKeyWithOnlyTheLastFourDigits()
      throws Exception {
    submit("s1");
    var pending = verifications.readValue();
    answer("s1", TinCheckOutcome.ANSWERED, 0, null);
    var matched = verifications.readValue();
    var expected =
        io.userpipe.schemas.DecisionSubject.newBuilder()
            .setName("Ada Lovelace")
            .setTinType("ssn")
            .setTinLastFour("6789")
            .build();
    for (var decision : java.util.List.of(pending, matched)) {
      var sealed = decision.getSubject();
      assertEquals(1, published.size(), "one key for the month, published before use");
      assertEquals(published.get(0).getKeyId(), sealed.getKeyId());
      assertEquals(expected, retention.open("u1", sealed).orElseThrow());
    }
    // erasing the person shreds their user key, not the retention key
    events.pipeInput(
        "u1",
        UserEvent.newBuilder()
            .setEventId("e-deleted")
            .setUserId("u1")
            .setVersion(3)
            .setOccurredAt(T0)
            .setPayload(new io.userpipe.schemas.UserDeleted())
            .build());
    keys.pipeInput("u1", null);
    assertEquals(expected, retention.open("u1", matched.getSubject()).orElseThrow());
  }

  @Test
  void aLateAnswerForASupersededSubmissionIsIgnored() throws Exception {
    submit("s1");
    submit("s2");
    verifications.readValuesToList();
    answer("s1", TinCheckOutcome.ANSWERED, 0, null);
    assertTrue(verifications.isEmpty());
    answer("s2", TinCheckOutcome.ANSWERED, 0, null);
    assertEquals("s2", verifications.readValue().getSubmissionId());
  }

  @Test
  void silenceIsAskedAgainAfterTheRequestTimeoutFromADurableTimer() throws Exception {
    submit("s1");
    requests.readValue();
    driver.advanceWallClockTime(Duration.ofSeconds(10));
    assertTrue(requests.isEmpty());
    driver.advanceWallClockTime(Duration.ofSeconds(25));
    var again = requests.readValue();
    assertEquals(2, again.getAttempt());
    assertEquals("s1", again.getSubmissionId());
  }

  @Test
  void notYetWaitsAsLongAsTheProviderSaysAndStaysPending() throws Exception {
    submit("s1");
    requests.readValue();
    verifications.readValue();
    answer("s1", TinCheckOutcome.NOT_YET, null, Duration.ofHours(2).toMillis());
    driver.advanceWallClockTime(Duration.ofMinutes(90));
    assertTrue(requests.isEmpty());
    assertTrue(verifications.isEmpty());
    driver.advanceWallClockTime(Duration.ofMinutes(31));
    assertEquals(2, requests.readValue().getAttempt());
  }

  @Test
  void aProviderErrorIsRetriedWithBackoffNeverDropped() throws Exception {
    submit("s1");
    requests.readValue();
    answer("s1", TinCheckOutcome.FAILED, null, null);
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertEquals(2, requests.readValue().getAttempt());
  }
}
