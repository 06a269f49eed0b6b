package io.userpipe.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.userpipe.runtime.config.AppConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ClientSecurityTest {

  static final String SASL_PASSWORD = "sasl-pw-8e1f0c";
  static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\""
          + " password=\""
          + SASL_PASSWORD
          + "\";";

  /** A service configured for SASL_SSL through the environment-style keys only. */
  static AppConfig secured() {
    return AppConfig.of(
        Map.ofEntries(
            Map.entry(AppConfig.KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:1"),
            Map.entry(ClientSecurity.KAFKA_SECURITY_PROTOCOL, "sasl_ssl"),
            Map.entry(ClientSecurity.KAFKA_SASL_MECHANISM, "SCRAM-SHA-256"),
            Map.entry(ClientSecurity.KAFKA_SASL_JAAS_CONFIG, JAAS),
            Map.entry(ClientSecurity.KAFKA_SSL_TRUSTSTORE_LOCATION, "/etc/kafka/trust.p12"),
            Map.entry(ClientSecurity.KAFKA_SSL_TRUSTSTORE_PASSWORD, "trust-pw"),
            Map.entry(ClientSecurity.KAFKA_SSL_TRUSTSTORE_TYPE, "PKCS12"),
            Map.entry(ClientSecurity.KAFKA_SSL_KEYSTORE_LOCATION, "/etc/kafka/key.p12"),
            Map.entry(ClientSecurity.KAFKA_SSL_KEYSTORE_PASSWORD, "keystore-pw"),
            Map.entry(ClientSecurity.KAFKA_SSL_KEYSTORE_TYPE, "PKCS12"),
            Map.entry(ClientSecurity.KAFKA_SSL_KEY_PASSWORD, "key-pw"),
            Map.entry(ClientSecurity.KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, "none")));
  }

  /** Every setting reaches {@code props}, the secrets as hidden {@link Password}s. */
  static void assertSecured(Map<String, ?> props) {
    assertEquals("SASL_SSL", props.get("security.protocol"));
    assertEquals("SCRAM-SHA-256", props.get("sasl.mechanism"));
    assertEquals(new Password(JAAS), props.get("sasl.jaas.config"));
    assertEquals("/etc/kafka/trust.p12", props.get("ssl.truststore.location"));
    assertEquals(new Password("trust-pw"), props.get("ssl.truststore.password"));
    assertEquals("PKCS12", props.get("ssl.truststore.type"));
    assertEquals("/etc/kafka/key.p12", props.get("ssl.keystore.location"));
    assertEquals(new Password("keystore-pw"), props.get("ssl.keystore.password"));
    assertEquals("PKCS12", props.get("ssl.keystore.type"));
    assertEquals(new Password("key-pw"), props.get("ssl.key.password"));
    assertEquals("", props.get("ssl.endpoint.identification.algorithm"));
    assertFalse(props.toString().contains(SASL_PASSWORD), "a printed map shows a secret");
  }

  @Test
  void everyPlainClientKindTakesTheSecuritySettingsFromTheEnvironment() {
    AppConfig config = secured();
    assertSecured(TopicCreator.commonClientProps(config)); // admin, CLIs' consumers
    assertSecured(ClientProps.committedReader(config, "g")); // consumers
    assertSecured(ClientProps.durableWriter(config, "c")); // producers
    assertSecured(CompactedTopicFollower.readerProps(config)); // followers, bin/decisions
  }

  @Test
  void aPlaintextClusterNeedsNothingAndGetsNothing() {
    var props =
        TopicCreator.commonClientProps(
            AppConfig.of(Map.of(AppConfig.KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:1")));
    assertFalse(props.containsKey("security.protocol"));
    assertFalse(props.containsKey("sasl.jaas.config"));
  }

  @Test
  void refusesSettingsThatCannotWork() {
    var base = AppConfig.of(Map.of(AppConfig.KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:1"));
    var unknown = base.with(ClientSecurity.KAFKA_SECURITY_PROTOCOL, "TLS");
    assertTrue(
        assertThrows(IllegalStateException.class, () -> ClientSecurity.props(unknown))
            .getMessage()
            .contains("must be one of"));
    var saslWithoutLogin = base.with(ClientSecurity.KAFKA_SECURITY_PROTOCOL, "SASL_PLAINTEXT");
    assertTrue(
        assertThrows(IllegalStateException.class, () -> ClientSecurity.props(saslWithoutLogin))
            .getMessage()
            .contains(ClientSecurity.KAFKA_SASL_JAAS_CONFIG));
    // credentials set while the protocol would ignore them: the client would talk plaintext
    var loginIgnored = base.with(ClientSecurity.KAFKA_SASL_JAAS_CONFIG, JAAS);
    var refusal =
        assertThrows(IllegalStateException.class, () -> ClientSecurity.props(loginIgnored));
    assertTrue(refusal.getMessage().contains("PLAINTEXT"));
    assertFalse(refusal.getMessage().contains(SASL_PASSWORD), "the refusal shows the secret");
    var trustIgnored =
        base.with(ClientSecurity.KAFKA_SECURITY_PROTOCOL, "SASL_PLAINTEXT")
            .with(ClientSecurity.KAFKA_SASL_JAAS_CONFIG, JAAS)
            .with(ClientSecurity.KAFKA_SSL_TRUSTSTORE_LOCATION, "/x");
    assertThrows(IllegalStateException.class, () -> ClientSecurity.props(trustIgnored));
  }

  @Test
  void everyMappedSettingIsListedAndEverySecretIsASetting() {
    assertEquals(11, ClientSecurity.SETTINGS.size());
    assertTrue(ClientSecurity.SETTINGS.keySet().containsAll(ClientSecurity.SECRETS));
    ClientSecurity.SETTINGS.keySet().forEach(k -> assertTrue(k.startsWith("KAFKA_"), k));
  }

  /**
   * Kafka prints every client's configuration at INFO when it starts: the JAAS config (the SASL
   * password) must show as hidden there, for producers, consumers and admin alike.
   */
  @Test
  void noClientLogsTheJaasConfig() {
    var config =
        AppConfig.of(
            Map.of(
                AppConfig.KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:1",
                ClientSecurity.KAFKA_SECURITY_PROTOCOL, "SASL_PLAINTEXT",
                ClientSecurity.KAFKA_SASL_MECHANISM, "SCRAM-SHA-256",
                ClientSecurity.KAFKA_SASL_JAAS_CONFIG, JAAS));
    List<ILoggingEvent> events = captureKafkaLogs(() -> startAndCloseClients(config));
    assertTrue(
        events.stream().anyMatch(e -> e.getFormattedMessage().contains("sasl.jaas.config")),
        "Kafka printed no client configuration: the check would prove nothing");
    for (ILoggingEvent e : events) {
      assertFalse(e.getFormattedMessage().contains(SASL_PASSWORD), e.getFormattedMessage());
    }
  }

  private static void startAndCloseClients(AppConfig config) {
    var producerProps = new HashMap<>(ClientProps.durableWriter(config, "log-check"));
    producerProps.put("max.block.ms", 100);
    try (var producer =
        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.close(Duration.ZERO);
    }
    try (var consumer =
        new KafkaConsumer<>(
            ClientProps.committedReader(config, "log-check"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscription(); // closed at once: it never joined a group
    }
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      admin.close(Duration.ZERO);
    }
  }

  static List<ILoggingEvent> captureKafkaLogs(Runnable action) {
    var logger = (Logger) LoggerFactory.getLogger("org.apache.kafka");
    Level before = logger.getLevel();
    var appender = new ListAppender<ILoggingEvent>();
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.INFO);
    try {
      action.run();
    } finally {
      logger.setLevel(before);
      logger.detachAppender(appender);
    }
    return List.copyOf(appender.list);
  }
}
