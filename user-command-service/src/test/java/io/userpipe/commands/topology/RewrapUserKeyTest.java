package io.userpipe.commands.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.commands.domain.VerificationPolicy;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.SecretHasher;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TestDriverProps;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.DeleteUser;
import io.userpipe.schemas.RewrapUserKey;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserAggregate;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code RewrapUserKey} in the user's own task (test driver, one partition, the shared registry): a
 * live user's key under an older data key is re-wrapped under the active one, in the store and on
 * {@code users.keys}, with no event; a key under the active key, a deleted user's and a platform's
 * request write nothing. Each gets its one result.
 */
class RewrapUserKeyTest {

  private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
  private static final String K1 = DataKeys.generateEntry("k1");
  private static final String K2 = DataKeys.generateEntry("k2");

  private final AvroSerdes serdes = new AvroSerdes(SharedRegistry.url());
  private TopologyTestDriver driver;
  private TestInputTopic<String, UserCommand> commands;
  private TestOutputTopic<String, UserEvent> events;
  private TestOutputTopic<String, UserKey> keys;
  private TestOutputTopic<String, CommandResult> results;

  private void start(DataKeys dataKeys) {
    var settings =
        new UserCommandTopology.Settings(
            dataKeys,
            DataKeys.parseEdge(DataKeys.generateEntry("e1"), null),
            new SecretHasher(new byte[32]),
            VerificationPolicy.DEFAULT);
    driver =
        new TopologyTestDriver(
            UserCommandTopology.build(serdes, Clock.fixed(NOW, ZoneOffset.UTC), settings, 1),
            TestDriverProps.of("rewrap-test"));
    var c = Topics.USER_COMMANDS;
    commands =
        driver.createInputTopic(
            c.name(), serdes.keySerde(c).serializer(), serdes.valueSerde(c).serializer());
    events = output(Topics.USER_EVENTS.name(), Topics.USER_EVENTS);
    keys = output(Topics.USER_KEYS.name(), Topics.USER_KEYS);
    results = output(Topics.COMMAND_RESULTS.name(), Topics.COMMAND_RESULTS);
  }

  private <V> TestOutputTopic<String, V> output(
      String name, io.userpipe.schemas.TopicSpec<String, V> topic) {
    return driver.createOutputTopic(
        name, serdes.keySerde(topic).deserializer(), serdes.valueSerde(topic).deserializer());
  }

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.close();
    }
  }

  private KeyValueStore<String, UserAggregate> users() {
    return driver.getKeyValueStore(UserCommandTopology.USERS);
  }

  private static UserCommand command(String id, String platform, String userId, Object payload) {
    return UserCommand.newBuilder()
        .setCommandId(id)
        .setPlatformId(platform)
        .setIssuedAt(NOW)
        .setUserId(userId)
        .setPayload(payload)
        .build();
  }

  /** A user created under {@code dataKeys}; its id. */
  private String createUser() {
    commands.pipeInput(
        "+12025550173",
        command(
            "create",
            "p1",
            null,
            new CreateUser(
                "Ada", "Lovelace", "ada@example.com", "1", "2025550173", null, null, Map.of())));
    var result = results.readValue();
    assertEquals(CommandOutcome.ACCEPTED, result.getOutcome());
    keys.readValuesToList();
    events.readValuesToList();
    return result.getUserId();
  }

  private CommandResult rewrap(String commandId, String platform, String userId) {
    commands.pipeInput(userId, command(commandId, platform, userId, new RewrapUserKey("ops")));
    var result = results.readValue();
    assertTrue(results.isEmpty(), "one result per command");
    return result;
  }

  @Test
  void aKeyUnderAnOlderDataKeyIsRewrappedInTheStoreAndOnUsersKeysWithNoEvent() {
    // a user made while k1 was the only data key, carried over to a task that has k2 active
    start(DataKeys.parse(K1, null));
    String userId = createUser();
    UserAggregate before = users().get(userId);
    assertEquals("k1", before.getWrappedKey().getKeyId());
    driver.close();
    start(DataKeys.parse(K1 + "," + K2, "k2"));
    users().put(userId, before);

    var result = rewrap("rewrap-" + userId + "-k2", "operator:ops", userId);

    assertEquals(CommandOutcome.ACCEPTED, result.getOutcome());
    assertEquals(before.getVersion(), result.getUserVersion(), "no new version");
    UserAggregate after = users().get(userId);
    assertEquals("k2", after.getWrappedKey().getKeyId());
    assertEquals(
        UserAggregate.newBuilder(before).setWrappedKey(after.getWrappedKey()).build(),
        after,
        "only the wrap changes");
    var written = keys.readKeyValue();
    assertEquals(userId, written.key);
    assertEquals(after.getWrappedKey(), written.value.getWrappedKey());
    assertTrue(keys.isEmpty());
    assertTrue(events.isEmpty(), "a rewrap is no event of the user's");

    // run again (bin/rotate-keys re-run): already under k2, nothing is written
    assertEquals(
        CommandOutcome.ACCEPTED, rewrap("rewrap-again", "operator:ops", userId).getOutcome());
    assertTrue(keys.isEmpty());
    assertEquals(after, users().get(userId));

    // and with k1 gone, the user is still decided: its profile opens under the re-wrapped key
    driver.close();
    start(DataKeys.parse(K2, null));
    users().put(userId, after);
    commands.pipeInput(
        userId,
        command(
            "update",
            "p1",
            userId,
            io.userpipe.schemas.UpdateUser.newBuilder().setFirstName("Augusta").build()));
    assertEquals(CommandOutcome.ACCEPTED, results.readValue().getOutcome());
  }

  @Test
  void aDeletedUsersKeyIsNeverWrittenAgain() {
    start(DataKeys.parse(K1 + "," + K2, "k1"));
    String userId = createUser();
    commands.pipeInput(userId, command("delete", "p1", userId, new DeleteUser()));
    assertEquals(CommandOutcome.ACCEPTED, results.readValue().getOutcome());
    var tombstone = keys.readKeyValue();
    assertEquals(userId, tombstone.key);
    assertNull(tombstone.value);

    var result = rewrap("rewrap-deleted", "operator:ops", userId);

    assertEquals(CommandOutcome.REJECTED, result.getOutcome());
    assertEquals("not_found", result.getRejection().getCode());
    assertTrue(keys.isEmpty(), "a shredded key is never revived");
    assertNull(users().get(userId).getWrappedKey());
  }

  @Test
  void anUnknownUserGetsNotFoundAndNoKey() {
    start(DataKeys.parse(K1, null));
    var result = rewrap("rewrap-unknown", "operator:ops", "no-such-user");
    assertEquals(CommandOutcome.REJECTED, result.getOutcome());
    assertEquals("not_found", result.getRejection().getCode());
    assertTrue(keys.isEmpty());
    assertNull(users().get("no-such-user"));
  }

  @Test
  void aPlatformCannotRewrapAKey() {
    start(DataKeys.parse(K1 + "," + K2, "k1"));
    String userId = createUser();
    var result = rewrap("rewrap-by-platform", "p1", userId);
    assertEquals(CommandOutcome.REJECTED, result.getOutcome());
    assertEquals("forbidden", result.getRejection().getCode());
    assertTrue(keys.isEmpty());
    assertTrue(events.isEmpty());
  }

  @Test
  void aKeyUnderTheActiveDataKeyIsLeftAsItIs() {
    start(DataKeys.parse(K1, null));
    String userId = createUser();
    UserAggregate before = users().get(userId);
    var result = rewrap("rewrap-current", "operator:ops", userId);
    assertEquals(CommandOutcome.ACCEPTED, result.getOutcome());
    assertTrue(keys.isEmpty());
    assertEquals(before, users().get(userId));
  }
}
