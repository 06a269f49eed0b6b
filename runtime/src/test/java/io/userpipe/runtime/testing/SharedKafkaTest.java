package io.userpipe.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.localstack.EmbeddedKafka;
import io.userpipe.localstack.SaslScram;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.ClientSecurity;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.schemas.TopicSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The tests against an external cluster that authenticates: the environment's login reaches every
 * configuration and client the shared helper makes; the embedded broker never gets one.
 */
class SharedKafkaTest {

  private static final String JAAS =
      SaslScram.jaasConfig("alice", "a-password-only-this-test-knows");

  @Test
  void anExternalClustersLoginFromTheEnvironmentIsPassedOnAndNothingElse() {
    var environment =
        Map.of(
            AppConfig.KAFKA_BOOTSTRAP_SERVERS,
            "kafka.example:9093",
            ClientSecurity.KAFKA_SECURITY_PROTOCOL,
            "SASL_SSL",
            ClientSecurity.KAFKA_SASL_MECHANISM,
            SaslScram.MECHANISM,
            ClientSecurity.KAFKA_SASL_JAAS_CONFIG,
            JAAS,
            ClientSecurity.KAFKA_SSL_TRUSTSTORE_LOCATION,
            "/etc/kafka/truststore.p12",
            "KAFKA_CLIENT_ACKS",
            "0",
            "DATA_KEYS",
            "not-for-kafka");

    var settings = SharedKafka.securitySettings(environment);

    assertEquals(
        Map.of(
            ClientSecurity.KAFKA_SECURITY_PROTOCOL,
            "SASL_SSL",
            ClientSecurity.KAFKA_SASL_MECHANISM,
            SaslScram.MECHANISM,
            ClientSecurity.KAFKA_SASL_JAAS_CONFIG,
            JAAS,
            ClientSecurity.KAFKA_SSL_TRUSTSTORE_LOCATION,
            "/etc/kafka/truststore.p12"),
        settings);
  }

  @Test
  void theEmbeddedBrokerGetsNoLoginAndALoginWithoutAClusterIsRefused() {
    assertEquals(Map.of(), SharedKafka.securitySettings(Map.of("PATH", "/usr/bin")));

    var refused =
        assertThrows(
            IllegalStateException.class,
            () ->
                SharedKafka.securitySettings(
                    Map.of(
                        ClientSecurity.KAFKA_SECURITY_PROTOCOL,
                        "SASL_PLAINTEXT",
                        ClientSecurity.KAFKA_SASL_JAAS_CONFIG,
                        JAAS)));
    assertTrue(refused.getMessage().contains("KAFKA_BOOTSTRAP_SERVERS"), refused.getMessage());
    assertFalse(refused.getMessage().contains("a-password"), "the login is never printed");
  }

  @Test
  void theEnvironmentsLoginOpensAClusterThatAuthenticates() throws Exception {
    var superUser = SaslScram.randomSuperUser();
    try (var kafka =
        EmbeddedKafka.startAuthenticated(SharedKafka.tempDir("kafka-sasl"), superUser)) {
      var environment =
          Map.of(
              AppConfig.KAFKA_BOOTSTRAP_SERVERS,
              kafka.bootstrapServers(),
              ClientSecurity.KAFKA_SECURITY_PROTOCOL,
              "SASL_PLAINTEXT",
              ClientSecurity.KAFKA_SASL_MECHANISM,
              SaslScram.MECHANISM,
              ClientSecurity.KAFKA_SASL_JAAS_CONFIG,
              superUser.jaasConfig());
      var values = new HashMap<>(SharedKafka.securitySettings(environment));
      values.put(AppConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      values.put(AppConfig.TOPIC_REPLICATION_FACTOR, "1");
      var config = AppConfig.of(values);
      var topic =
          new TopicSpec<>(
              "shared-kafka-login",
              byte[].class,
              byte[].class,
              1,
              TopicSpec.Cleanup.DELETE,
              null,
              "test",
              "test",
              "a topic made with the environment's login");

      TopicCreator.ensure(config, List.of(topic));

      try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
        assertTrue(admin.listTopics().names().get().contains(topic.name()));
      }
    }
  }
}
