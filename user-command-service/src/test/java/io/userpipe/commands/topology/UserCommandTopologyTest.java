package io.userpipe.commands.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.commands.domain.VerificationPolicy;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.SecretHasher;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.streams.PlatformDoor;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TestDriverProps;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.ConnectionRequested;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The topology on a test driver (one partition), serdes against the shared real registry. */
class UserCommandTopologyTest {

  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

  private final SteppingClock clock = new SteppingClock(NOW);
  private TopologyTestDriver driver;
  private TestInputTopic<String, UserCommand> commands;
  private TestOutputTopic<String, UserEvent> events;
  private TestOutputTopic<String, CommandResult> results;

  @BeforeEach
  void setUp() {
    var serdes = new AvroSerdes(SharedRegistry.url());
    var settings =
        new UserCommandTopology.Settings(
            DataKeys.parse(DataKeys.generateEntry("k1"), null),
            DataKeys.parseEdge(DataKeys.generateEntry("e1"), null),
            new SecretHasher(new byte[32]),
            VerificationPolicy.DEFAULT);
    var topology = UserCommandTopology.build(serdes, clock, settings, 1);
    var props = TestDriverProps.of("user-command-service-test");
    driver = new TopologyTestDriver(topology, props);
    var c = Topics.USER_COMMANDS;
    commands =
        driver.createInputTopic(
            c.name(), serdes.keySerde(c).serializer(), serdes.valueSerde(c).serializer());
    var e = Topics.USER_EVENTS;
    events =
        driver.createOutputTopic(
            e.name(), serdes.keySerde(e).deserializer(), serdes.valueSerde(e).deserializer());
    var r = Topics.COMMAND_RESULTS;
    results =
        driver.createOutputTopic(
            r.name(), serdes.keySerde(r).deserializer(), serdes.valueSerde(r).deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private static UserCommand create(String commandId, String platform, String phone, String email) {
    return UserCommand.newBuilder()
        .setCommandId(commandId)
        .setPlatformId(platform)
        .setIssuedAt(NOW)
        .setPayload(new CreateUser("Ada", "Lovelace", email, "1", phone, null, null, Map.of()))
        .build();
  }

  @Test
  void aCreateBecomesOneUserCreatedEventAndOneAcceptedResult() {
    commands.pipeInput("+12025550173", create("c1", "p1", "2025550173", "ada@example.com"));

    var event = events.readKeyValue();
    assertTrue(event.value.getPayload() instanceof UserCreated);
    assertEquals(1, event.value.getVersion());
    assertEquals("c1", event.value.getCommandId());
    var result = results.readValue();
    assertEquals(CommandOutcome.ACCEPTED, result.getOutcome());
    assertEquals(event.key, result.getUserId());
    assertTrue(result.getCreated());
    assertEquals(1L, result.getUserVersion());
    assertTrue(events.isEmpty());
    assertTrue(results.isEmpty());
  }

  @Test
  void aNewUsersKeyIsStampedJustBeforeItsFirstEventSoThatReadersHoldTheKeyFirst() {
    var k = Topics.USER_KEYS;
    var serdes = new AvroSerdes(SharedRegistry.url());
    var keys =
        driver.createOutputTopic(
            k.name(), serdes.keySerde(k).deserializer(), serdes.valueSerde(k).deserializer());

    commands.pipeInput("+12025550173", create("c1", "p1", "2025550173", "ada@example.com"));

    var event = events.readRecord();
    var key = keys.readRecord();
    assertEquals(event.key(), key.key());
    assertEquals(event.timestamp() - 1, key.timestamp());
  }

  @Test
  void theSamePhoneFromAnotherPlatformAsksToConnectTheExistingUser() {
    commands.pipeInput("+12025550173", create("c1", "p1", "2025550173", "ada@example.com"));
    commands.pipeInput("+12025550173", create("c2", "p2", "2025550173", "other@example.com"));

    String userId = events.readKeyValue().key;
    var connected = events.readKeyValue();
    assertEquals(userId, connected.key);
    assertTrue(connected.value.getPayload() instanceof ConnectionRequested);
    results.readValue();
    var second = results.readValue();
    assertEquals(userId, second.getUserId());
    assertEquals(false, second.getCreated());
  }

  /**
   * The Kafka door: a platform's own topic acts for that platform alone, whatever its records'
   * field or headers say. A create keyed by another key than its phone's (re-keyed through {@code
   * users.commands}) keeps its platform, so its result is copied to the platform's results topic.
   */
  @Test
  void aPlatformsOwnTopicActsForThatPlatformOnly() {
    var serdes = new AvroSerdes(SharedRegistry.url());
    var acmeTopic = Topics.platformUserCommands("acme");
    var acme =
        driver.createInputTopic(
            acmeTopic.name(),
            serdes.keySerde(acmeTopic).serializer(),
            serdes.valueSerde(acmeTopic).serializer());
    var acmeResults = output(serdes, Topics.platformCommandResults("acme"));
    var otherResults = output(serdes, Topics.platformCommandResults("other"));

    // claims another platform, and forges the door's header for it: refused, answered to acme
    var forged = new org.apache.kafka.common.header.internals.RecordHeaders();
    forged.add(PlatformDoor.HEADER, "other".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    acme.pipeInput(
        new org.apache.kafka.streams.test.TestRecord<>(
            "+12025550173", create("c1", "other", "2025550173", "ada@example.com"), forged));
    var refused = results.readValue();
    assertEquals(CommandOutcome.REJECTED, refused.getOutcome());
    assertEquals("forbidden", refused.getRejection().getCode());
    assertEquals("platform_id", refused.getRejection().getField());
    assertEquals("acme", refused.getPlatformId());
    assertEquals(refused, acmeResults.readValue());
    assertTrue(otherResults.isEmpty(), "the named platform hears nothing");
    assertTrue(events.isEmpty(), "no user");

    // its own, keyed by something else than the phone: re-keyed, decided, answered on both
    acme.pipeInput("not-the-phone", create("c2", "acme", "2025550173", "ada@example.com"));
    var accepted = results.readValue();
    assertEquals(CommandOutcome.ACCEPTED, accepted.getOutcome());
    assertEquals("acme", accepted.getPlatformId());
    assertEquals(accepted, acmeResults.readValue());
    assertEquals(1, events.readValuesToList().size());

    // the HTTP edge's topic: answered on users.command-results only
    commands.pipeInput("+12025550174", create("c3", "acme", "2025550174", "bo@example.com"));
    assertEquals("c3", results.readValue().getCommandId());
    assertTrue(acmeResults.isEmpty());
    assertTrue(otherResults.isEmpty());
  }

  private TestOutputTopic<String, CommandResult> output(
      AvroSerdes serdes, io.userpipe.schemas.TopicSpec<String, CommandResult> topic) {
    return driver.createOutputTopic(
        topic.name(),
        serdes.keySerde(topic).deserializer(),
        serdes.valueSerde(topic).deserializer());
  }

  @Test
  void aCommandDeliveredTwiceGetsOneResultAndOneEvent() {
    commands.pipeInput("+12025550173", create("c1", "p1", "2025550173", "ada@example.com"));
    commands.pipeInput("+12025550173", create("c1", "p1", "2025550173", "ada@example.com"));

    assertEquals(1, events.readValuesToList().size());
    assertEquals(1, results.readValuesToList().size());
  }

  @Test
  void aCommandDeliveredAgainTheNextDayIsStillRecognizedButNotTwoDaysLater() {
    commands.pipeInput("+12025550173", create("c1", "p1", "2025550173", "ada@example.com"));
    clock.advance(Duration.ofHours(23).plusMinutes(59)); // past midnight: filed under yesterday
    commands.pipeInput("+12025550173", create("c1", "p1", "2025550173", "ada@example.com"));
    assertEquals(1, results.readValuesToList().size());

    clock.advance(Duration.ofDays(2));
    commands.pipeInput("+12025550173", create("c1", "p1", "2025550173", "ada@example.com"));
    var forgotten = results.readValuesToList();
    assertEquals(1, forgotten.size(), "decided again once the memory of it expired");
    assertEquals(false, forgotten.get(0).getCreated());
  }

  @Test
  void aCommandFiledJustAfterMidnightIsRecognizedByAClockThatIsStillBeforeIt() {
    clock.advance(Duration.ofHours(12).plusSeconds(10)); // 00:00:10, the next day
    commands.pipeInput("+12025550173", create("c1", "p1", "2025550173", "ada@example.com"));
    clock.advance(Duration.ofSeconds(-30)); // another instance, its clock 30 s behind
    commands.pipeInput("+12025550173", create("c1", "p1", "2025550173", "ada@example.com"));

    assertEquals(1, results.readValuesToList().size());
  }

  @Test
  void anInvalidCommandDeliveredTwiceIsRejectedOnce() {
    commands.pipeInput("+12025550173", create("c1", "p1", "2025550173", "bad"));
    commands.pipeInput("+12025550173", create("c1", "p1", "2025550173", "bad"));

    assertEquals(1, results.readValuesToList().size());
  }

  @Test
  void aRetriedCreateUnderANewCommandIdAnswersTheSameUser() {
    commands.pipeInput("+12025550173", create("c1", "p1", "2025550173", "ada@example.com"));
    commands.pipeInput("+12025550173", create("c2", "p1", "2025550173", "ada@example.com"));

    assertEquals(1, events.readValuesToList().size());
    var answers = results.readValuesToList();
    assertEquals(answers.get(0).getUserId(), answers.get(1).getUserId());
  }

  @Test
  void aWronglyKeyedCreateIsReKeyedByItsNormalizedPhoneAndStillCreatesOneUser() {
    commands.pipeInput("some-other-key", create("c1", "p1", "2025550173", "ada@example.com"));
    commands.pipeInput("+12025550173", create("c2", "p2", "2025550173", "ada@example.com"));

    var created = events.readValuesToList();
    assertEquals(2, created.size());
    assertTrue(created.get(0).getPayload() instanceof UserCreated);
    assertTrue(created.get(1).getPayload() instanceof ConnectionRequested);
  }

  @Test
  void anInvalidCreateIsRejectedNamingTheFieldAndClaimsNoPhone() {
    commands.pipeInput("+12025550173", create("c1", "p1", "2025550173", "not-an-email"));

    var result = results.readValue();
    assertEquals(CommandOutcome.REJECTED, result.getOutcome());
    assertEquals("email", result.getRejection().getField());
    assertTrue(events.isEmpty());

    commands.pipeInput("+12025550173", create("c2", "p1", "2025550173", "ada@example.com"));
    assertTrue(results.readValue().getCreated());
  }

  @Test
  void aCommandWithoutAUserIdIsRejected() {
    commands.pipeInput(
        "x",
        UserCommand.newBuilder()
            .setCommandId("c9")
            .setPlatformId("p1")
            .setIssuedAt(NOW)
            .setPayload(new io.userpipe.schemas.DeleteUser())
            .build());
    var result = results.readValue();
    assertEquals(CommandOutcome.REJECTED, result.getOutcome());
    assertEquals("user_id", result.getRejection().getField());
  }

  /** A clock the test moves forward. */
  private static final class SteppingClock extends Clock {
    private Instant now;

    SteppingClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
