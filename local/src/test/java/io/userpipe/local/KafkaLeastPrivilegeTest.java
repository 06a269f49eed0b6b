package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.userpipe.client.Commands;
import io.userpipe.client.PlatformClient;
import io.userpipe.client.PlatformClientConfig;
import io.userpipe.client.Result;
import io.userpipe.localstack.EmbeddedKafka;
import io.userpipe.localstack.SaslScram;
import io.userpipe.runtime.cli.AclsTool;
import io.userpipe.runtime.cli.PlatformsTool;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.ClientSecurity;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.security.KafkaAcls;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka door on a broker that authenticates and authorizes, with the ACLs {@code bin/acls}
 * applies and nothing more: every service runs with its own login and only its own ACLs and the
 * whole flow passes (a user created over HTTP, screened, its TIN verified); a platform's producer
 * acts for its own platform only, and can write no operator decision and no internal topic.
 */
class KafkaLeastPrivilegeTest {

  private static final SaslScram SUPER_USER = SaslScram.randomSuperUser();
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final String PREFIX = "acl-" + ProcessHandle.current().pid() + "-";
  private static final String ACME = "acme";
  private static final String OTHER = "other.co";
  private static final Map<String, String> PASSWORDS = new HashMap<>();

  private static EmbeddedKafka kafka;
  private static LocalPipeline pipeline;
  private static ApiClient api;
  private static AvroSerdes serdes;
  private static AppConfig common;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.startAuthenticated(SharedKafka.tempDir("kafka-acls"), SUPER_USER);
    var users = new ArrayList<String>(KafkaAcls.services());
    users.add(KafkaAcls.OPERATORS);
    users.add(principalName(KafkaAcls.platformPrincipal(ACME)));
    users.add(principalName(KafkaAcls.platformPrincipal(OTHER)));
    for (String user : users) {
      String password = UUID.randomUUID().toString();
      PASSWORDS.put(user, password);
      kafka.addScramUser(user, password);
    }
    // the cluster's administrator gives the operators their rights; they do the rest
    try (Admin admin = Admin.create(kafka.superUserClientProps())) {
      admin.createAcls(KafkaAcls.forOperators()).all().get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }
    AppConfig operators = login(KafkaAcls.OPERATORS);
    var printed = new ByteArrayOutputStream();
    var acls = new AclsTool(operators, new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertEquals(0, acls.run(new String[] {"--apply", ACME, OTHER}), printed.toString());
    var platforms =
        new PlatformsTool(
            operators, new PrintStream(new ByteArrayOutputStream()), "test", Clock.systemUTC());
    String acmeKey = platforms.add(ACME, "acme-client");

    Path reference = operators.stateDir().resolve("reference-tins.csv");
    Files.createDirectories(reference.getParent());
    Files.writeString(reference, "tin,type,name\n521438765,ssn,Ada Lovelace\n");
    common =
        TestPipelines.withLocalDefaults(
            operators
                .with(AppConfig.HTTP_PORT, "0")
                // no seed (the demo's would be): platforms come from bin/platforms, as on a
                // cluster with ACLs, where the doors may read the platforms topic but not write it
                .with(io.userpipe.runtime.http.PlatformDirectory.PLATFORMS, ",")
                .with("TIN_REFERENCE_FILE", reference.toString())
                .with("TIN_PROVIDER_LATENCY", "PT0S")
                .with("TIN_PROVIDER_SLOW_FRACTION", "0"),
            operators.stateDir());
    // each service with its own login, so with only its own ACLs
    pipeline =
        LocalPipeline.start(
            common,
            (service, config) ->
                config.with(
                    ClientSecurity.KAFKA_SASL_JAAS_CONFIG,
                    SaslScram.jaasConfig(service, PASSWORDS.get(service))));
    api = new ApiClient(pipeline.baseUrl(), "acme-client", acmeKey);
    serdes = AvroSerdes.from(operators);
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private static String principalName(String principal) {
    return principal.substring("User:".length());
  }

  /** A client's configuration with {@code user}'s login, as the environment would give it. */
  private static AppConfig login(String user) {
    return AppConfig.of(
            Map.of(
                AppConfig.KAFKA_BOOTSTRAP_SERVERS,
                kafka.bootstrapServers(),
                AppConfig.STATE_DIR,
                SharedKafka.tempDir("state-acls").toString(),
                AppConfig.APP_ID_PREFIX,
                PREFIX,
                AppConfig.TOPIC_REPLICATION_FACTOR,
                "1",
                AppConfig.SCHEMA_REGISTRY_URL,
                SharedRegistry.url()))
        .with(ClientSecurity.KAFKA_SECURITY_PROTOCOL, "SASL_PLAINTEXT")
        .with(ClientSecurity.KAFKA_SASL_MECHANISM, SaslScram.MECHANISM)
        .with(
            ClientSecurity.KAFKA_SASL_JAAS_CONFIG, SaslScram.jaasConfig(user, PASSWORDS.get(user)));
  }

  private static Map<String, Object> bounded(Map<String, Object> props) {
    var p = new HashMap<>(props);
    p.put("request.timeout.ms", 5000);
    p.put("default.api.timeout.ms", 10000);
    p.put("max.block.ms", 10000);
    return p;
  }

  @Test
  void everyServiceWithOnlyItsOwnAclsRunsTheWholeFlow() throws Exception {
    var created =
        api.post(
            "/v2/users",
            """
            {"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com",
             "country_code":"1","phone_number":"2025550171"}""");
    assertEquals(200, created.status(), created.raw().body());
    String id = created.json().get("id").asText();
    // screened by ofac-screener, folded by projections
    assertEquals(
        "unflagged",
        created.json().at("/compliance/flags/ofac_status").asText(),
        created.raw().body());

    var submitted =
        api.send(
            "PUT",
            "/v2/users/" + id + "/compliance",
            """
            {"w9":{"entity_type":"individual","first_name":"Ada","last_name":"Lovelace",
                   "tin":"521438765","address":{"line_1":"12 St James's Square","city":"London",
                   "postcode":"SW1Y 4JH","country":"GB"}}}""");
    assertEquals(200, submitted.status(), submitted.raw().body());
    api.awaitTaxIdVerification(id, "matched"); // by tin-verifier: its worker, the provider
  }

  /**
   * The Kafka door end to end through the client library, with only the platform's own ACLs: a user
   * created and given a W-9 on the platform's topics (the TIN sealed under the edge keys), each
   * future completed from the platform's results topic, and the same person read through the HTTP
   * door with the TIN verified.
   */
  @Test
  void aPlatformsClientCreatesAUserAndSubmitsItsW9ThroughItsOwnTopics() throws Exception {
    String acmeLogin =
        SaslScram.jaasConfig(
            principalName(KafkaAcls.platformPrincipal(ACME)),
            PASSWORDS.get(principalName(KafkaAcls.platformPrincipal(ACME))));
    var config =
        PlatformClientConfig.from(
                common.with(ClientSecurity.KAFKA_SASL_JAAS_CONFIG, acmeLogin), ACME)
            .resultTimeout(Duration.ofSeconds(60))
            .build();
    try (var client = PlatformClient.create(config)) {
      Result created =
          client
              .send(
                  Commands.createUser()
                      .firstName("Ada")
                      .lastName("Lovelace")
                      .email("ada.k@example.com")
                      .phone("1", "2025550176"))
              .get(90, TimeUnit.SECONDS);
      var accepted = assertInstanceOf(Result.Accepted.class, created, created.toString());
      String userId = accepted.userId();
      Result w9 =
          client
              .send(
                  Commands.submitW9(userId)
                      .entityType("individual")
                      .firstName("Ada")
                      .lastName("Lovelace")
                      .tin("521438765"))
              .get(90, TimeUnit.SECONDS);
      assertInstanceOf(Result.Accepted.class, w9, w9.toString());

      api.awaitTaxIdVerification(userId, "matched");
    }
  }

  @Test
  void aPlatformsProducerActsForItsOwnPlatformOnly() throws Exception {
    AppConfig acme = login(principalName(KafkaAcls.platformPrincipal(ACME)));
    var own = Topics.platformUserCommands(ACME);
    String mine = UUID.randomUUID().toString();
    String claimsOther = UUID.randomUUID().toString();
    try (var producer = producer(acme)) {
      producer.send(record(own.name(), create(mine, ACME, "2025550172"))).get(30, TimeUnit.SECONDS);
      producer
          .send(record(own.name(), create(claimsOther, OTHER, "2025550173")))
          .get(30, TimeUnit.SECONDS);
      // the other platform's topic is not its to write
      var refused =
          assertThrowsCause(
              () ->
                  producer
                      .send(
                          record(
                              Topics.platformUserCommands(OTHER).name(),
                              create(UUID.randomUUID().toString(), OTHER, "2025550174")))
                      .get(30, TimeUnit.SECONDS));
      assertInstanceOf(TopicAuthorizationException.class, refused);
    }

    var results = readResults(acme, Topics.platformCommandResults(ACME).name(), 2);
    assertEquals(CommandOutcome.ACCEPTED, results.get(mine).getOutcome());
    CommandResult forbidden = results.get(claimsOther);
    assertEquals(CommandOutcome.REJECTED, forbidden.getOutcome());
    assertEquals("forbidden", forbidden.getRejection().getCode());
    assertEquals(ACME, forbidden.getPlatformId());
    // nor may it read another platform's results
    AppConfig acmeLogin = acme;
    assertInstanceOf(
        TopicAuthorizationException.class,
        assertThrowsCause(
            () -> readResults(acmeLogin, Topics.platformCommandResults(OTHER).name(), 1)));
  }

  @Test
  void aPlatformCanWriteNoOperatorDecisionAndNoSharedOrInternalTopic() throws Exception {
    AppConfig acme = login(principalName(KafkaAcls.platformPrincipal(ACME)));
    try (var producer = producer(acme)) {
      for (var topic : Topics.all()) {
        Throwable refused =
            assertThrowsCause(
                () ->
                    producer
                        .send(new ProducerRecord<>(topic.name(), new byte[] {1}, new byte[] {0}))
                        .get(30, TimeUnit.SECONDS));
        assertInstanceOf(TopicAuthorizationException.class, refused, topic.name());
      }
    }
    for (var topic :
        List.of(Topics.COMMAND_RESULTS, Topics.USER_EVENTS, Topics.COMPLIANCE_EVENTS)) {
      assertInstanceOf(
          TopicAuthorizationException.class,
          assertThrowsCause(() -> readResults(acme, topic.name(), 1)),
          topic.name());
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(AppConfig login) {
    var props = bounded(TopicCreator.commonClientProps(login));
    props.put("enable.idempotence", false); // so that a refusal is about the topic alone
    props.put("acks", "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, UserCommand command) {
    String phone = "+1" + ((io.userpipe.schemas.CreateUser) command.getPayload()).getPhoneNumber();
    return new ProducerRecord<>(
        topic,
        phone.getBytes(StandardCharsets.UTF_8),
        serdes.valueSerde(Topics.USER_COMMANDS).serializer().serialize(topic, command));
  }

  private static UserCommand create(String commandId, String platformId, String phone) {
    return UserCommand.newBuilder()
        .setCommandId(commandId)
        .setPlatformId(platformId)
        .setIssuedAt(Instant.now())
        .setPayload(
            new CreateUser("Mary", "Jackson", "mary@example.com", "1", phone, null, null, Map.of()))
        .build();
  }

  /** Reads {@code topic} from its start until {@code count} results are there, by command id. */
  private static Map<String, CommandResult> readResults(AppConfig login, String topic, int count)
      throws Exception {
    var props = bounded(TopicCreator.commonClientProps(login));
    var found = new HashMap<String, CommandResult>();
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions = new ArrayList<TopicPartition>();
      for (int p = 0; p < Topics.USER_PARTITIONS; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (found.size() < count && System.nanoTime() < deadline) {
        for (var r : consumer.poll(Duration.ofMillis(500))) {
          var result =
              serdes
                  .valueSerde(Topics.COMMAND_RESULTS)
                  .deserializer()
                  .deserialize(topic, r.value());
          found.put(result.getCommandId(), result);
        }
      }
    }
    if (found.size() < count) {
      fail(found.size() + " of " + count + " results on " + topic);
    }
    return found;
  }

  interface KafkaCall {
    void run() throws Exception;
  }

  /** The cause of {@code call}'s failure (unwrapped from an ExecutionException). */
  private static Throwable assertThrowsCause(KafkaCall call) {
    try {
      call.run();
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("allowed");
  }

  @Test
  void theAclsPrintAsKafkaAclsCommandsOnePrincipalPerServicePlatformAndOperators()
      throws Exception {
    var printed = new ByteArrayOutputStream();
    var tool =
        new AclsTool(
            login(KafkaAcls.OPERATORS), new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertEquals(0, tool.run(new String[] {ACME}));
    String text = printed.toString(StandardCharsets.UTF_8);
    for (String service : KafkaAcls.services()) {
      assertTrue(text.contains("# User:" + service + "\n"), service);
    }
    assertTrue(text.contains("# User:platform-acme\n"));
    assertTrue(text.contains("# User:operators\n"));
    assertTrue(
        text.contains(
            "--add --allow-principal 'User:platform-acme' --operation Write --topic"
                + " 'platform.acme.users.commands'"),
        text);
  }
}
