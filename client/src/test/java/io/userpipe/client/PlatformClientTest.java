package io.userpipe.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.OfacCommand;
import io.userpipe.schemas.Rejection;
import io.userpipe.schemas.SubmitIdVerification;
import io.userpipe.schemas.TopicSpec;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.VerifyUser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client on a real broker and registry, with this test playing the services' part: it reads
 * each command the client wrote from the platform's own topic, checks it, and writes its result to
 * the platform's results topic.
 */
class PlatformClientTest {

  /** Bounds every wait for a result that is coming; never a claim about speed. */
  private static final long WAIT_SECONDS = 60;

  private static final String EDGE_KEYS = DataKeys.generateEntry("edge-1");
  private static final CommandSecrets OPENER =
      new CommandSecrets(DataKeys.parseEdge(EDGE_KEYS, null));

  private static String platform;
  private static AppConfig config;
  private static AvroSerdes serdes;
  private static KafkaProducer<String, CommandResult> service;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platform = "acme." + SharedKafka.uniqueTopicPrefix();
    SharedKafka.createTopics(Topics.forPlatform(platform).toArray(new TopicSpec<?, ?>[0]));
    config =
        SharedKafka.config()
            .with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
            .with(DataKeys.EDGE_KEYS, EDGE_KEYS);
    serdes = AvroSerdes.from(config);
    var results = Topics.platformCommandResults(platform);
    service =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
            serdes.keySerde(results).serializer(),
            serdes.valueSerde(results).serializer());
    // the settings the services read, from the environment's names
    client = PlatformClient.create(PlatformClientConfig.from(config, platform).build());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (service != null) {
      service.close();
    }
  }

  @Test
  void aCreateGoesToThePlatformsTopicKeyedByPhoneAndItsResultCompletesTheFuture() throws Exception {
    var create =
        Commands.createUser()
            .firstName("Katherine")
            .lastName("Johnson")
            .email("kj-" + platform + "@example.com")
            .phone("1", "2025550142");

    var future = client.send(create);

    var record = theOnly(Topics.platformUserCommands(platform).name(), client.commandId(create));
    assertEquals("+12025550142", key(record));
    UserCommand command = userCommand(record);
    assertEquals(platform, command.getPlatformId());
    assertNull(command.getUserId());
    assertEquals("Katherine", ((CreateUser) command.getPayload()).getFirstName());

    decide(accepted(command.getCommandId(), "CreateUser", "user-kj"));
    var result =
        assertInstanceOf(Result.Accepted.class, future.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(command.getCommandId(), result.commandId());
    assertEquals("user-kj", result.userId());
    assertTrue(result.created());
  }

  @Test
  void aCodeTravelsSealedForTheServiceAndARejectionCompletesTheFuture() throws Exception {
    var verify = Commands.verifyUser("user-v", "424242");

    var future = client.send(verify);

    var record = theOnly(Topics.platformUserCommands(platform).name(), client.commandId(verify));
    assertEquals("user-v", key(record));
    UserCommand command = userCommand(record);
    assertEquals("user-v", command.getUserId());
    var token = ((VerifyUser) command.getPayload()).getToken();
    assertEquals("424242", OPENER.openCode(command.getCommandId(), token));
    assertTrue(
        !new String(record.value(), StandardCharsets.ISO_8859_1).contains("424242"),
        "the code is not in the clear on the topic");

    decide(rejected(command.getCommandId(), "VerifyUser", "expired", "the code expired"));
    var result =
        assertInstanceOf(Result.Rejected.class, future.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals("expired", result.code());
    assertEquals("the code expired", result.message());
  }

  @Test
  void idVerificationGoesToThePlatformsOfacTopicKeyedByUser() throws Exception {
    var idv = Commands.submitIdVerification("user-o").provider("kyc-co").reference("r-1");

    var future = client.send(idv);

    var record = theOnly(Topics.platformOfacCommands(platform).name(), client.commandId(idv));
    assertEquals("user-o", key(record));
    var command =
        (OfacCommand)
            serdes
                .value(OfacCommand.class)
                .deserializer()
                .deserialize(record.topic(), record.value());
    assertEquals(platform, command.getPlatformId());
    assertEquals("r-1", ((SubmitIdVerification) command.getPayload()).getReference());

    decide(accepted(command.getCommandId(), "SubmitIdVerification", "user-o"));
    assertInstanceOf(Result.Accepted.class, future.get(WAIT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void aRetryOfADecidedCommandIsAnsweredFromItsResultWithoutBeingSentAgain() throws Exception {
    var delete = Commands.deleteUser("user-r");
    var first = client.send(delete);
    var record = theOnly(Topics.platformUserCommands(platform).name(), client.commandId(delete));
    decide(accepted(userCommand(record).getCommandId(), "DeleteUser", "user-r"));
    first.get(WAIT_SECONDS, TimeUnit.SECONDS);

    // the service decides a command id once: a second copy would get no second result
    var retry = client.send(delete);

    assertTrue(retry.isDone());
    assertEquals(first.get(), retry.get());
    assertEquals(
        1, copiesOf(Topics.platformUserCommands(platform).name(), client.commandId(delete)));
  }

  @Test
  void aResultWrittenBeforeTheClientStartedAnswersWithinTheLookBack() throws Exception {
    // a platform of its own: each partition of its results holds them in the order decided, as
    // the services write them (the look-back starts at the first result of its time, by offset)
    String quiet = "quiet." + SharedKafka.uniqueTopicPrefix();
    SharedKafka.createTopics(Topics.forPlatform(quiet).toArray(new TopicSpec<?, ?>[0]));
    var update = Commands.updateUser("user-l").email("l@example.com").idempotencyKey("look-back");
    String commandId = update.commandId(quiet);
    String old = Commands.deleteUser("user-l").commandId(quiet);
    decideAt(
        quiet, accepted(old, "DeleteUser", "user-l"), Instant.now().minus(Duration.ofHours(2)));
    decideAt(quiet, accepted(commandId, "UpdateUser", "user-l"), Instant.now());

    try (var restarted =
        PlatformClient.create(
            PlatformClientConfig.from(config, quiet)
                .resultLookBack(Duration.ofMinutes(15))
                .resultTimeout(Duration.ofSeconds(2))
                .build())) {
      var result = restarted.result(commandId).get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertEquals("user-l", ((Result.Accepted) result).userId());
      // a retry after the restart is answered from it, and not sent again
      assertEquals(
          commandId, restarted.send(update).get(WAIT_SECONDS, TimeUnit.SECONDS).commandId());
      assertEquals(0, copiesOf(Topics.platformUserCommands(quiet).name(), commandId));

      // decided before the look-back: not read, so the wait runs out
      var e =
          assertThrows(
              ExecutionException.class,
              () -> restarted.result(old).get(WAIT_SECONDS, TimeUnit.SECONDS));
      assertEquals(old, assertInstanceOf(ResultTimeoutException.class, e.getCause()).commandId());
    }
  }

  @Test
  void withoutAResultTheFutureFailsAfterTheTimeout() throws Exception {
    try (var impatient =
        PlatformClient.create(
            PlatformClientConfig.builder(
                    platform, SharedKafka.bootstrapServers(), SharedRegistry.url())
                .edgeKeys(EDGE_KEYS, null)
                .resultTimeout(Duration.ofMillis(500))
                .build())) {
      var send = Commands.sendVerificationToken("user-t");
      var future = impatient.send(send);

      var e =
          assertThrows(ExecutionException.class, () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
      var timeout = assertInstanceOf(ResultTimeoutException.class, e.getCause());
      assertEquals(impatient.commandId(send), timeout.commandId());
      // it was sent all the same: a retry of the same builder is the same command
      theOnly(Topics.platformUserCommands(platform).name(), timeout.commandId());
    }
  }

  @Test
  void closingFailsTheFuturesStillWaiting() throws Exception {
    var closing =
        PlatformClient.create(
            PlatformClientConfig.from(config, platform)
                .resultTimeout(Duration.ofMinutes(5))
                .build());
    var future = closing.send(Commands.removePayoutMethod("user-c", "pm_1"));
    closing.close();

    var e =
        assertThrows(ExecutionException.class, () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  @Test
  void aPlatformWithoutItsTopicsIsToldSoAtTheStart() {
    String stranger = "never-added-" + platform;
    var e =
        assertThrows(
            IllegalStateException.class,
            () ->
                PlatformClient.create(
                    PlatformClientConfig.from(config, stranger)
                        .kafkaSettings(Map.of("default.api.timeout.ms", 5_000))
                        .build()));
    assertTrue(
        e.getMessage().contains(Topics.platformCommandResults(stranger).name() + " cannot be read"),
        e.getMessage());
  }

  // --- the service's part

  private static List<ConsumerRecord<byte[], byte[]>> copies(String topic, String commandId) {
    return TopicReader.readAll(SharedKafka.bootstrapServers(), topic).stream()
        .filter(r -> commandId.equals(commandIdOf(r)))
        .toList();
  }

  private static long copiesOf(String topic, String commandId) {
    return copies(topic, commandId).size();
  }

  /** Waits (bounded) for the command on its topic; asserts there is exactly one copy. */
  private static ConsumerRecord<byte[], byte[]> theOnly(String topic, String commandId) {
    var records =
        TopicReader.readUntil(
            SharedKafka.bootstrapServers(),
            topic,
            rs -> rs.stream().anyMatch(r -> commandId.equals(commandIdOf(r))),
            Duration.ofSeconds(WAIT_SECONDS));
    var mine = records.stream().filter(r -> commandId.equals(commandIdOf(r))).toList();
    assertEquals(1, mine.size(), "copies of " + commandId + " on " + topic);
    return mine.get(0);
  }

  private static String commandIdOf(ConsumerRecord<byte[], byte[]> record) {
    SpecificRecord value =
        record.topic().endsWith(".ofac.commands")
            ? serdes
                .value(OfacCommand.class)
                .deserializer()
                .deserialize(record.topic(), record.value())
            : userCommandOf(record);
    return value instanceof OfacCommand o ? o.getCommandId() : ((UserCommand) value).getCommandId();
  }

  private static UserCommand userCommandOf(ConsumerRecord<byte[], byte[]> record) {
    return serdes
        .value(UserCommand.class)
        .deserializer()
        .deserialize(record.topic(), record.value());
  }

  private static UserCommand userCommand(ConsumerRecord<byte[], byte[]> record) {
    return userCommandOf(record);
  }

  private static String key(ConsumerRecord<byte[], byte[]> record) {
    return new String(record.key(), StandardCharsets.UTF_8);
  }

  private static CommandResult accepted(String commandId, String type, String userId) {
    return CommandResult.newBuilder()
        .setCommandId(commandId)
        .setPlatformId(platform)
        .setCommandType(type)
        .setOutcome(CommandOutcome.ACCEPTED)
        .setUserId(userId)
        .setUserVersion(1L)
        .setCreated(type.equals("CreateUser"))
        .setDecidedAt(Instant.now())
        .build();
  }

  private static CommandResult rejected(String commandId, String type, String code, String msg) {
    return CommandResult.newBuilder()
        .setCommandId(commandId)
        .setPlatformId(platform)
        .setCommandType(type)
        .setOutcome(CommandOutcome.REJECTED)
        .setRejection(new Rejection(code, null, msg))
        .setDecidedAt(Instant.now())
        .build();
  }

  private static void decide(CommandResult result) throws Exception {
    decideAt(platform, result, Instant.now());
  }

  private static void decideAt(String platformId, CommandResult result, Instant at)
      throws Exception {
    service
        .send(
            new ProducerRecord<>(
                Topics.platformCommandResults(platformId).name(),
                null,
                at.toEpochMilli(),
                result.getCommandId(),
                result))
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
