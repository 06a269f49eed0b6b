package io.userpipe.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.commands.sms.TwilioSettings;
import io.userpipe.localstack.FakeTwilio;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.SecretHasher;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.AddPayoutMethod;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UpdateUser;
import io.userpipe.schemas.UserCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Commands from upstream services on the commands topic, on a real broker: each gets exactly one
 * result; a record that cannot be read goes to the dead-letter topic with its reason; neither stops
 * the service.
 */
class KafkaDoorTest {

  private static UserCommandService service;
  private static final FakeTwilio twilio = FakeTwilio.start();
  private static AvroSerdes serdes;
  private static AppConfig config;
  private static final String DATA_KEYS = DataKeys.generateEntry("k1");

  @BeforeAll
  static void start() {
    config =
        SharedKafka.config()
            .with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
            .with(DataKeys.DATA_KEYS, DATA_KEYS)
            .with(DataKeys.EDGE_KEYS, DataKeys.generateEntry("e1"))
            .with(SecretHasher.CODE_HASH_KEY, SecretHasher.generateKey())
            // not the local demo: texts go to a local fake of Twilio's API
            .with(TwilioSettings.TWILIO_API_URL, twilio.baseUrl())
            .with(TwilioSettings.TWILIO_ACCOUNT_SID, "AC00000000000000000000000000000000")
            .with(TwilioSettings.TWILIO_AUTH_TOKEN, "kafka-door-test-twilio-token")
            .with(TwilioSettings.TWILIO_FROM, "+15005550006");
    TopicCreator.ensure(config, Topics.all());
    serdes = AvroSerdes.from(config);
    service = UserCommandService.create(config);
    service.start(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
    twilio.close();
  }

  private static UserCommand create(String commandId, String email, String phone) {
    return UserCommand.newBuilder()
        .setCommandId(commandId)
        .setPlatformId("upstream-platform")
        .setIssuedAt(Instant.now())
        .setPayload(new CreateUser("Dorothy", "Vaughan", email, "1", phone, null, null, Map.of()))
        .build();
  }

  private static CommandResult resultOf(String commandId) {
    var records =
        TopicReader.readUntil(
            SharedKafka.bootstrapServers(),
            Topics.COMMAND_RESULTS.name(),
            rs ->
                rs.stream()
                    .anyMatch(r -> commandId.equals(new String(r.key(), StandardCharsets.UTF_8))),
            Duration.ofSeconds(30));
    List<ConsumerRecord<byte[], byte[]>> mine =
        records.stream()
            .filter(r -> commandId.equals(new String(r.key(), StandardCharsets.UTF_8)))
            .toList();
    assertEquals(1, mine.size(), "results for " + commandId);
    return serdes
        .valueSerde(Topics.COMMAND_RESULTS)
        .deserializer()
        .deserialize(Topics.COMMAND_RESULTS.name(), mine.get(0).value());
  }

  @Test
  void unreadableRecordsAreDeadLetteredAndTheNextCommandIsStillDecided() {
    String before = UUID.randomUUID().toString();
    String after = UUID.randomUUID().toString();
    var valueSerializer = serdes.valueSerde(Topics.USER_COMMANDS).serializer();
    String topic = Topics.USER_COMMANDS.name();
    try (var producer =
        new KafkaProducer<>(
            SharedKafka.clientProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
      byte[] key = "+12025550188".getBytes(StandardCharsets.UTF_8);
      producer.send(
          new ProducerRecord<>(
              topic,
              key,
              valueSerializer.serialize(topic, create(before, "a@example.com", "2025550188"))));
      producer.send(
          new ProducerRecord<>(topic, key, "not avro at all".getBytes(StandardCharsets.UTF_8)));
      producer.send(new ProducerRecord<>(topic, key, new byte[] {0, 0, 0, 0x7f, 0x7f, 1, 2}));
      producer.send(
          new ProducerRecord<>(
              topic,
              key,
              valueSerializer.serialize(topic, create(after, "b@example.com", "2025550188"))));
      producer.flush();
    }

    assertEquals(CommandOutcome.ACCEPTED, resultOf(before).getOutcome());
    assertEquals(CommandOutcome.ACCEPTED, resultOf(after).getOutcome());
    var dead =
        TopicReader.readUntil(
            SharedKafka.bootstrapServers(),
            Topics.USER_COMMANDS_DLQ.name(),
            rs -> rs.stream().filter(r -> sourceTopic(r).equals(topic)).count() >= 2,
            Duration.ofSeconds(30));
    // the dead-letter topic is shared with the platforms' own command topics (another test's)
    assertTrue(dead.stream().filter(r -> sourceTopic(r).equals(topic)).count() >= 2);
    for (var r : dead) {
      assertTrue(r.headers().lastHeader("x-dlq-error-message") != null);
    }
    assertTrue(service.streams().isHealthy());
  }

  @Test
  void aNewUserLivesOnItsPhonesPartitionSoItsCreateIsDecidedWithoutAHop() {
    String commandId = UUID.randomUUID().toString();
    send("+12025550190", create(commandId, "hop@example.com", "2025550190"));

    String userId = resultOf(commandId).getUserId();
    assertEquals(partitionOf("+12025550190"), partitionOf(userId));
    assertEquals(0, byUserRecordsOf(userId), "the create crossed users.commands.by-user");
  }

  @Test
  void aCommandKeyedByAnotherPartitionIsDecidedByItsUsersTaskOnceEvenWhenAlsoSentKeyedByItsUser() {
    String create = UUID.randomUUID().toString();
    send("+12025550191", create(create, "keys@example.com", "2025550191"));
    String userId = resultOf(create).getUserId();
    String elsewhere = keyOnAnotherPartitionThan(userId);

    // first through users.commands.by-user, then the same command keyed by its user
    String first = deliverTwiceThenOneMore(elsewhere, userId, userId, 2);
    // first keyed by its user, then a copy through users.commands.by-user
    String second = deliverTwiceThenOneMore(userId, elsewhere, userId, 4);

    assertEquals(1, results(first).size(), "results of the first command");
    assertEquals(1, results(second).size(), "results of the second command");
    assertEquals(3, byUserRecordsOf(userId), "the commands keyed by another partition");
  }

  /**
   * Sends one update keyed {@code firstKey}, waits for its result (the user at {@code version}),
   * sends the same command again keyed {@code secondKey}, then a new command behind the copy on the
   * same partition: the new one's result, at {@code version + 1}, shows the copy changed nothing.
   * Returns the id of the command delivered twice.
   */
  private static String deliverTwiceThenOneMore(
      String firstKey, String secondKey, String userId, long version) {
    String twice = UUID.randomUUID().toString();
    send(firstKey, update(twice, userId, twice + "@example.com"));
    assertEquals(version, resultOf(twice).getUserVersion());
    send(secondKey, update(twice, userId, twice + "@example.com"));
    String after = UUID.randomUUID().toString();
    send(secondKey, update(after, userId, after + "@example.com"));
    assertEquals(version + 1, resultOf(after).getUserVersion(), "the copy was decided again");
    return twice;
  }

  /**
   * A command on users.commands at the upgrade to edge keys, its account number sealed by the
   * previous edge under the data keys, is still opened and decided; one sealed under a key of
   * neither set is refused as unreadable.
   */
  @Test
  void anAccountNumberSealedUnderTheDataKeysBeforeTheEdgeKeysIsStillDecided() {
    String create = UUID.randomUUID().toString();
    send("+12025550192", create(create, "upgrade@example.com", "2025550192"));
    String userId = resultOf(create).getUserId();

    String before = UUID.randomUUID().toString();
    var previousEdge = new CommandSecrets(DataKeys.parse(DATA_KEYS, null));
    send(userId, addAch(before, userId, previousEdge.sealAccountNumber(before, "730194628")));
    assertEquals(CommandOutcome.ACCEPTED, resultOf(before).getOutcome());

    String foreign = UUID.randomUUID().toString();
    var stranger = new CommandSecrets(DataKeys.parse(DataKeys.generateEntry("x1"), null));
    send(userId, addAch(foreign, userId, stranger.sealAccountNumber(foreign, "5501937264")));
    assertEquals(CommandOutcome.REJECTED, resultOf(foreign).getOutcome());
  }

  private static UserCommand addAch(String commandId, String userId, EncryptedValue account) {
    return UserCommand.newBuilder()
        .setCommandId(commandId)
        .setPlatformId("upstream-platform")
        .setUserId(userId)
        .setIssuedAt(Instant.now())
        .setPayload(
            AddPayoutMethod.newBuilder()
                .setKind("ach")
                .setRoutingNumber("021000021")
                .setAccountNumber(account)
                .setAccountType("checking")
                .build())
        .build();
  }

  private static UserCommand update(String commandId, String userId, String email) {
    return UserCommand.newBuilder()
        .setCommandId(commandId)
        .setPlatformId("upstream-platform")
        .setUserId(userId)
        .setIssuedAt(Instant.now())
        .setPayload(UpdateUser.newBuilder().setEmail(email).build())
        .build();
  }

  private static void send(String key, UserCommand command) {
    try (var producer =
        new KafkaProducer<>(
            SharedKafka.clientProps(),
            serdes.keySerde(Topics.USER_COMMANDS).serializer(),
            serdes.valueSerde(Topics.USER_COMMANDS).serializer())) {
      producer.send(new ProducerRecord<>(Topics.USER_COMMANDS.name(), key, command));
      producer.flush();
    }
  }

  private static int partitionOf(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
        % Topics.USER_PARTITIONS;
  }

  private static String keyOnAnotherPartitionThan(String userId) {
    for (int i = 0; ; i++) {
      if (partitionOf("elsewhere-" + i) != partitionOf(userId)) {
        return "elsewhere-" + i;
      }
    }
  }

  private static long byUserRecordsOf(String userId) {
    return TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.USER_COMMANDS_BY_USER.name())
        .stream()
        .filter(r -> userId.equals(new String(r.key(), StandardCharsets.UTF_8)))
        .count();
  }

  private static List<ConsumerRecord<byte[], byte[]>> results(String commandId) {
    return TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.COMMAND_RESULTS.name())
        .stream()
        .filter(r -> commandId.equals(new String(r.key(), StandardCharsets.UTF_8)))
        .toList();
  }

  /**
   * A platform added while the service runs ({@code bin/platforms add} creates its topics): its own
   * command topic is read by the service's pattern subscription, its command decided for it, and
   * the result copied to its own results topic; a poison record there is dead-lettered with the
   * edge's, naming its source topic.
   */
  @Test
  void aPlatformAddedWhileTheServiceRunsIsReadFromItsOwnTopic() {
    String platform = "late.platform-" + UUID.randomUUID().toString().substring(0, 8);
    int deathsBefore = service.streams().threadDeaths();
    TopicCreator.ensure(config, Topics.forPlatform(platform));
    var own = Topics.platformUserCommands(platform);
    String commandId = UUID.randomUUID().toString();
    var valueSerializer = serdes.valueSerde(own).serializer();
    try (var producer =
        new KafkaProducer<>(
            SharedKafka.clientProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
      byte[] key = "+12025550186".getBytes(StandardCharsets.UTF_8);
      producer.send(
          new ProducerRecord<>(own.name(), key, "poison".getBytes(StandardCharsets.UTF_8)));
      var command = create(commandId, "late@example.com", "2025550186");
      command.setPlatformId(platform);
      producer.send(
          new ProducerRecord<>(own.name(), key, valueSerializer.serialize(own.name(), command)));
      producer.flush();
    }

    String results = Topics.platformCommandResults(platform).name();
    // measured: 9-13 s from the topic's creation to the answer (the metadata refresh, then the
    // group's rebalance; docs/SECURITY.md, "The Kafka door"); bounded well above that
    var answered =
        TopicReader.readUntil(
            SharedKafka.bootstrapServers(), results, rs -> !rs.isEmpty(), Duration.ofSeconds(90));
    assertEquals(1, answered.size(), "results on " + results);
    var result =
        serdes
            .valueSerde(Topics.COMMAND_RESULTS)
            .deserializer()
            .deserialize(results, answered.get(0).value());
    assertEquals(commandId, result.getCommandId());
    assertEquals(CommandOutcome.ACCEPTED, result.getOutcome());
    assertEquals(platform, result.getPlatformId());
    assertEquals(CommandOutcome.ACCEPTED, resultOf(commandId).getOutcome());
    var dead =
        TopicReader.readUntil(
            SharedKafka.bootstrapServers(),
            Topics.USER_COMMANDS_DLQ.name(),
            rs -> rs.stream().anyMatch(r -> own.name().equals(sourceTopic(r))),
            Duration.ofSeconds(30));
    assertEquals(1, dead.stream().filter(r -> own.name().equals(sourceTopic(r))).count());
    // the pattern's anchor: the new topic joined the running tasks, no thread died for it
    assertEquals(deathsBefore, service.streams().threadDeaths(), "stream threads that died");
  }

  /**
   * The anchor that keeps the platforms' pattern matching a topic from the start (without it, the
   * first platform added after a start killed a stream thread and waited out its session) holds no
   * platform's commands: a command written there is dead-lettered, naming the anchor, and decided
   * for nobody.
   */
  @Test
  void aCommandOnThePlatformsAnchorIsDeadLetteredNotDecided() {
    String anchor = Topics.platformAnchors().get(0).name();
    assertTrue(Topics.PLATFORM_USER_COMMANDS_PATTERN.matcher(anchor).matches(), anchor);
    String commandId = UUID.randomUUID().toString();
    var command = create(commandId, "anchor@example.com", "2025550187");
    try (var producer =
        new KafkaProducer<>(
            SharedKafka.clientProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
      var serializer = serdes.valueSerde(Topics.USER_COMMANDS).serializer();
      producer.send(
          new ProducerRecord<>(
              anchor,
              "+12025550187".getBytes(StandardCharsets.UTF_8),
              serializer.serialize(anchor, command)));
      producer.flush();
    }
    var dead =
        TopicReader.readUntil(
            SharedKafka.bootstrapServers(),
            Topics.USER_COMMANDS_DLQ.name(),
            rs -> rs.stream().anyMatch(r -> anchor.equals(sourceTopic(r))),
            Duration.ofSeconds(30));
    assertEquals(1, dead.stream().filter(r -> anchor.equals(sourceTopic(r))).count());
    assertTrue(results(commandId).isEmpty(), "no result for a command on the anchor");
  }

  private static String sourceTopic(ConsumerRecord<byte[], byte[]> r) {
    var header = r.headers().lastHeader("x-dlq-source-topic");
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Test
  void anInvalidCommandGetsOneRejectedResultNamingTheField() {
    String id = UUID.randomUUID().toString();
    send("+12025550189", create(id, "not-an-email", "2025550189"));
    // delivered twice, as an at-least-once producer may: still one result
    send("+12025550189", create(id, "not-an-email", "2025550189"));
    CommandResult result = resultOf(id);
    assertEquals(CommandOutcome.REJECTED, result.getOutcome());
    assertEquals("email", result.getRejection().getField());
    assertEquals("invalid_field", result.getRejection().getCode());
  }

  @Test
  void anOversizedCommandIdIsDeadLetteredNamingTheLimitAndThePartitionGoesOn() {
    // ~600 KB: its result, keyed by the id and echoing it, would be refused by the broker
    String huge = "x".repeat(600_000);
    String after = UUID.randomUUID().toString();
    send("+12025550187", create(huge, "huge@example.com", "2025550187"));
    send("+12025550187", create(after, "after@example.com", "2025550187"));

    assertEquals(CommandOutcome.ACCEPTED, resultOf(after).getOutcome());
    var dead =
        TopicReader.readUntil(
            SharedKafka.bootstrapServers(),
            Topics.USER_COMMANDS_DLQ.name(),
            rs -> rs.stream().anyMatch(r -> reason(r).contains("the limit is 128")),
            Duration.ofSeconds(30));
    var mine = dead.stream().filter(r -> reason(r).contains("the limit is 128")).toList();
    assertEquals(1, mine.size(), "one dead letter for the oversized command");
    assertTrue(reason(mine.get(0)).contains("command_id is 600000 characters"));
    assertTrue(results(huge).isEmpty(), "no result for a command that could not be processed");
    assertTrue(service.streams().isHealthy());
  }

  private static String reason(ConsumerRecord<byte[], byte[]> r) {
    var header = r.headers().lastHeader("x-dlq-error-message");
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }
}
