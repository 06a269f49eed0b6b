package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.userpipe.localstack.EmbeddedKafka;
import io.userpipe.localstack.SaslScram;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.kafka.ClientSecurity;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The Kafka door with a broker that authenticates (SASL SCRAM-SHA-256) and authorizes
 * (StandardAuthorizer, nothing allowed without an ACL): a client without the right login is
 * refused, a principal without ACLs can neither write commands nor read events, and the whole
 * pipeline runs with its login given only through the environment's KAFKA_* settings.
 */
class KafkaAuthenticationTest {

  private static final SaslScram SUPER_USER = SaslScram.randomSuperUser();
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.startAuthenticated(SharedKafka.tempDir("kafka-sasl"), SUPER_USER);
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** A service's configuration as the environment would give it: address and login only. */
  private static AppConfig clusterConfig(String jaasConfig) {
    // not SharedKafka.config(): that would start the suite's unauthenticated broker too
    return AppConfig.of(
            Map.of(
                AppConfig.KAFKA_BOOTSTRAP_SERVERS,
                kafka.bootstrapServers(),
                AppConfig.STATE_DIR,
                SharedKafka.tempDir("state").toString(),
                AppConfig.APP_ID_PREFIX,
                "sasl-" + ProcessHandle.current().pid() + "-",
                AppConfig.TOPIC_REPLICATION_FACTOR,
                "1"))
        .with(ClientSecurity.KAFKA_SECURITY_PROTOCOL, "SASL_PLAINTEXT")
        .with(ClientSecurity.KAFKA_SASL_MECHANISM, SaslScram.MECHANISM)
        .with(ClientSecurity.KAFKA_SASL_JAAS_CONFIG, jaasConfig);
  }

  /** Client timeouts short enough that a refused client fails instead of hanging. */
  private static Map<String, Object> bounded(Map<String, Object> props) {
    var p = new HashMap<>(props);
    p.put("request.timeout.ms", 5000);
    p.put("default.api.timeout.ms", 10000);
    p.put("max.block.ms", 10000);
    return p;
  }

  @Test
  void aClientWithAWrongPasswordIsRefusedWithAnAuthenticationError() {
    var props =
        bounded(
            TopicCreator.commonClientProps(
                clusterConfig(SaslScram.jaasConfig(SUPER_USER.superUser(), "wrong"))));
    try (Admin admin = Admin.create(props)) {
      var failure =
          assertThrows(
              ExecutionException.class,
              () -> admin.describeCluster().nodes().get(BOUND.toSeconds(), TimeUnit.SECONDS));
      assertInstanceOf(SaslAuthenticationException.class, failure.getCause());
    }
  }

  @Test
  void aClientWithoutCredentialsGetsNothing() {
    // a plaintext client cannot even speak to a SASL listener: it learns nothing, within its bound
    var props =
        bounded(
            TopicCreator.commonClientProps(
                AppConfig.of(Map.of(AppConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers()))));
    // it can only time out: no need to wait long
    props.put("request.timeout.ms", 2000);
    props.put("default.api.timeout.ms", 4000);
    try (Admin admin = Admin.create(props)) {
      assertThrows(
          ExecutionException.class,
          () -> admin.listTopics().names().get(BOUND.toSeconds(), TimeUnit.SECONDS));
    }
    // and a client told to use SASL without a login does not start at all
    var noLogin =
        AppConfig.of(
            Map.of(
                AppConfig.KAFKA_BOOTSTRAP_SERVERS,
                kafka.bootstrapServers(),
                ClientSecurity.KAFKA_SECURITY_PROTOCOL,
                "SASL_PLAINTEXT"));
    assertThrows(IllegalStateException.class, () -> TopicCreator.commonClientProps(noLogin));
  }

  @Test
  void aPrincipalWithoutAclsCanNeitherWriteCommandsNorReadEvents() throws Exception {
    TopicCreator.ensure(
        clusterConfig(SUPER_USER.jaasConfig()), List.of(Topics.USER_COMMANDS, Topics.USER_EVENTS));
    kafka.addScramUser("nobody", "nobody-password");
    AppConfig nobody = clusterConfig(SaslScram.jaasConfig("nobody", "nobody-password"));

    var producerProps = bounded(TopicCreator.commonClientProps(nobody));
    producerProps.put("enable.idempotence", false); // so the answer is about the topic alone
    producerProps.put("acks", "1");
    assertInstanceOf(
        TopicAuthorizationException.class,
        untilAuthenticated(
            () -> {
              try (var producer =
                  new KafkaProducer<>(
                      producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer
                    .send(new ProducerRecord<>(Topics.USER_COMMANDS.name(), new byte[] {0}))
                    .get(BOUND.toSeconds(), TimeUnit.SECONDS);
              }
            }));

    var consumerProps = bounded(TopicCreator.commonClientProps(nobody));
    assertInstanceOf(
        TopicAuthorizationException.class,
        untilAuthenticated(
            () -> {
              try (var consumer =
                  new KafkaConsumer<>(
                      consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.assign(List.of(new TopicPartition(Topics.USER_EVENTS.name(), 0)));
                consumer.seekToBeginning(consumer.assignment());
                long deadline = System.nanoTime() + BOUND.toNanos();
                while (System.nanoTime() < deadline) {
                  if (!consumer.poll(Duration.ofMillis(500)).isEmpty()) {
                    throw new AssertionError("a principal without ACLs read users.events");
                  }
                }
              }
            }));
  }

  interface KafkaCall {
    void run() throws Exception;
  }

  /**
   * The failure of {@code call}, retried while the broker does not know the new login yet (a SCRAM
   * credential reaches the broker through the metadata log, a moment after it is accepted).
   */
  private static Throwable untilAuthenticated(KafkaCall call) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (true) {
      Throwable failure;
      try {
        call.run();
        throw new AssertionError("a principal without ACLs was allowed");
      } catch (ExecutionException e) {
        failure = e.getCause();
      } catch (Exception e) {
        failure = e;
      }
      if (!(failure instanceof SaslAuthenticationException) || System.nanoTime() > deadline) {
        return failure;
      }
      Thread.sleep(200);
    }
  }

  @Test
  void thePipelineRunsEndToEndWithItsLoginFromTheEnvironmentSettings() {
    AppConfig cluster =
        clusterConfig(SUPER_USER.jaasConfig())
            .with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url());
    AppConfig config =
        TestPipelines.withLocalDefaults(
            cluster
                .with(AppConfig.HTTP_PORT, "0")
                .with(
                    Projections.PLATFORMS,
                    PlatformDirectory.entry("platform-a", "client-a", "key-a")),
            cluster.stateDir());
    var logs = LogCapture.start();
    try (logs;
        var pipeline = LocalPipeline.start(config)) {
      var api = new ApiClient(pipeline.baseUrl(), "client-a", "key-a");
      var created =
          api.post(
              "/v2/users",
              """
              {"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com",
               "country_code":"1","phone_number":"2025550177"}""");
      assertEquals(200, created.status(), created.raw().body());
      String id = created.json().get("id").asText();

      var read = api.get("/v2/users/" + id);
      assertEquals(200, read.status(), read.raw().body());
      assertEquals("Lovelace", read.json().get("last_name").asText());
    }
    // every client printed its configuration at start (Kafka's INFO dump): the login is hidden
    assertTrue(logs.contains("sasl.jaas.config"), "no client configuration was logged");
    assertFalse(logs.contains(SUPER_USER.password()), "the super-user's password was logged");
  }

  /**
   * Every log event of this JVM while open, Kafka's INFO included (kept off the console: a
   * pipeline's start prints thousands of such lines).
   */
  private static final class LogCapture implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger kafkaLogger = (Logger) LoggerFactory.getLogger("org.apache.kafka");
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Level kafkaLevel = kafkaLogger.getLevel();

    static LogCapture start() {
      var capture = new LogCapture();
      capture.appender.start();
      capture.root.addAppender(capture.appender);
      capture.kafkaLogger.addAppender(capture.appender);
      capture.kafkaLogger.setAdditive(false);
      capture.kafkaLogger.setLevel(Level.INFO);
      return capture;
    }

    boolean contains(String text) {
      synchronized (appender) { // AppenderBase appends under its own lock
        return appender.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
      }
    }

    @Override
    public void close() {
      kafkaLogger.setLevel(kafkaLevel);
      kafkaLogger.setAdditive(true);
      kafkaLogger.detachAppender(appender);
      root.detachAppender(appender);
    }
  }
}
