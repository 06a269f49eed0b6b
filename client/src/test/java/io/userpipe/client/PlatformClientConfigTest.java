package io.userpipe.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.kafka.ClientSecurity;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

/** The client's settings, from the services' environment names or in code; no Kafka. */
class PlatformClientConfigTest {

  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required"
          + " username=\"acme\" password=\"s3cret\";";

  private static AppConfig env(String... pairs) {
    var config =
        AppConfig.of(
            Map.of(
                AppConfig.KAFKA_BOOTSTRAP_SERVERS, "broker:9093",
                AppConfig.SCHEMA_REGISTRY_URL, "http://registry:8081"));
    for (int i = 0; i < pairs.length; i += 2) {
      config = config.with(pairs[i], pairs[i + 1]);
    }
    return config;
  }

  @Test
  void fromTheEnvironmentTakesTheServicesSecuritySettingsAndEdgeKeys() {
    var config =
        PlatformClientConfig.from(
                env(
                    ClientSecurity.KAFKA_SECURITY_PROTOCOL, "SASL_SSL",
                    ClientSecurity.KAFKA_SASL_MECHANISM, "SCRAM-SHA-256",
                    ClientSecurity.KAFKA_SASL_JAAS_CONFIG, JAAS,
                    DataKeys.EDGE_KEYS, DataKeys.generateEntry("e1"),
                    PlatformClientConfig.CLIENT_RESULT_TIMEOUT, "PT5S",
                    PlatformClientConfig.CLIENT_RESULT_LOOK_BACK, "PT1H"),
                "acme")
            .build();

    var kafka = config.kafkaSettings();
    assertEquals("broker:9093", kafka.get("bootstrap.servers"));
    assertEquals("SASL_SSL", kafka.get("security.protocol"));
    assertEquals("SCRAM-SHA-256", kafka.get("sasl.mechanism"));
    // a secret stays a Password: Kafka prints it [hidden]
    assertEquals(JAAS, assertInstanceOf(Password.class, kafka.get("sasl.jaas.config")).value());
    assertEquals("e1", config.edgeKeys().activeKeyId());
    assertEquals(Duration.ofSeconds(5), config.resultTimeout());
    assertEquals(Duration.ofHours(1), config.resultLookBack());
  }

  @Test
  void refusesWhatTheServicesRefuse() {
    // SASL without a login would talk to nobody, or in the clear
    assertThrows(
        IllegalStateException.class,
        () ->
            PlatformClientConfig.from(
                env(ClientSecurity.KAFKA_SECURITY_PROTOCOL, "SASL_SSL"), "acme"));
    // an edge key this repository publishes seals nothing secret
    String published = "e1:DF4LFHX/7TivarOvj/QfQ6MABbrECfPqg19SJbUZ7OE=";
    assertThrows(
        IllegalStateException.class,
        () -> PlatformClientConfig.from(env(DataKeys.EDGE_KEYS, published), "acme"));
    assertThrows(
        IllegalStateException.class,
        () -> PlatformClientConfig.builder("acme", "b:9092", "http://r").edgeKeys(published, null));
  }

  @Test
  void withoutEdgeKeysTheClientHasNone() {
    assertNull(PlatformClientConfig.from(env(), "acme").build().edgeKeys());
    assertEquals(
        PlatformClientConfig.DEFAULT_TIMEOUT,
        PlatformClientConfig.from(env(), "acme").build().resultTimeout());
  }

  @Test
  void extraSettingsReachBothClientsButTheProducerStaysDurable() {
    var properties = new Properties();
    properties.put("security.protocol", "SSL");
    properties.put(ProducerConfig.ACKS_CONFIG, "0");
    var config =
        PlatformClientConfig.builder("acme", "broker:9093", "http://registry:8081")
            .kafkaSettings(properties)
            .kafkaSettings(
                Map.of(
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                    ConsumerConfig.GROUP_ID_CONFIG, "shared",
                    ProducerConfig.CLIENT_ID_CONFIG, "acme-payouts"))
            .edgeKeys(DataKeys.generateEntry("e1") + "," + DataKeys.generateEntry("e2"), "e2")
            .build();

    var producer = PlatformClient.producerProps(config);
    assertEquals("SSL", producer.get("security.protocol"));
    assertEquals("all", producer.get(ProducerConfig.ACKS_CONFIG));
    assertEquals(true, producer.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
    assertEquals("acme-payouts", producer.get(ProducerConfig.CLIENT_ID_CONFIG));

    var consumer = ResultFollower.consumerProps(config.kafkaSettings());
    assertEquals("SSL", consumer.get("security.protocol"));
    assertFalse(consumer.containsKey(ConsumerConfig.GROUP_ID_CONFIG));
    assertEquals("read_committed", consumer.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
    assertEquals("acme-payouts-results", consumer.get(ConsumerConfig.CLIENT_ID_CONFIG));
    assertNotNull(config.edgeKeys());
    assertEquals("e2", config.edgeKeys().activeKeyId());
    assertTrue(config.kafkaSettings().containsKey("bootstrap.servers"));
  }
}
