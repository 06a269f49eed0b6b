package io.userpipe.runtime.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.ClientSecurity;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * Streams hands the security settings to every client it makes: the main consumer, the restore and
 * global consumers, the (transactional) producer, which also writes the dead letters, and the admin
 * client of internal topics.
 */
class StreamsSecurityTest {

  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\""
          + " password=\"streams-pw-41c9\";";

  @Test
  void everyInternalClientOfStreamsTakesTheSecuritySettingsFromTheEnvironment() {
    AppConfig config =
        AppConfig.of(
            Map.of(
                AppConfig.KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:1",
                AppConfig.STATE_DIR, Path.of("target", "streams-security").toString(),
                ClientSecurity.KAFKA_SECURITY_PROTOCOL, "SASL_SSL",
                ClientSecurity.KAFKA_SASL_MECHANISM, "SCRAM-SHA-512",
                ClientSecurity.KAFKA_SASL_JAAS_CONFIG, JAAS,
                ClientSecurity.KAFKA_SSL_TRUSTSTORE_LOCATION, "/etc/kafka/trust.p12",
                ClientSecurity.KAFKA_SSL_TRUSTSTORE_PASSWORD, "trust-pw"));
    var streamsConfig = new StreamsConfig(StreamsService.properties("svc", config, Map.of()));

    for (Map<String, Object> client :
        java.util.List.of(
            streamsConfig.getMainConsumerConfigs("g", "c", 0),
            streamsConfig.getRestoreConsumerConfigs("c"),
            streamsConfig.getGlobalConsumerConfigs("c"),
            streamsConfig.getProducerConfigs("c"),
            streamsConfig.getAdminConfigs("c"))) {
      assertEquals("SASL_SSL", client.get("security.protocol"));
      assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"));
      assertEquals(new Password(JAAS), client.get("sasl.jaas.config"));
      assertEquals("/etc/kafka/trust.p12", client.get("ssl.truststore.location"));
      assertEquals(new Password("trust-pw"), client.get("ssl.truststore.password"));
      assertFalse(client.toString().contains("streams-pw-41c9"));
    }
  }
}
