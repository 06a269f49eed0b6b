package io.userpipe.local;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.testing.SharedKafka;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same scenario against the images docker-compose.yml runs: an apache/kafka KRaft broker and
 * Confluent's schema registry. Skipped where no Docker engine runs (as on this project's CI).
 */
@Testcontainers(disabledWithoutDocker = true)
class WalkingSkeletonOnContainersTest extends WalkingSkeletonScenario {

  private static Network network;
  private static KafkaContainer kafka;
  private static GenericContainer<?> registry;

  @BeforeAll
  static void start() {
    network = Network.newNetwork();
    kafka =
        new KafkaContainer("apache/kafka:4.3.1")
            .withNetwork(network)
            .withNetworkAliases("kafka")
            .withListener("kafka:19092");
    kafka.start();
    registry =
        new GenericContainer<>("confluentinc/cp-schema-registry:7.9.0")
            .withNetwork(network)
            .withExposedPorts(8081)
            .withEnv(
                Map.of(
                    "SCHEMA_REGISTRY_HOST_NAME", "schema-registry",
                    "SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081",
                    "SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092"))
            .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));
    registry.start();
    startPipeline(
        AppConfig.of(
            Map.of(
                AppConfig.KAFKA_BOOTSTRAP_SERVERS,
                kafka.getBootstrapServers(),
                AppConfig.SCHEMA_REGISTRY_URL,
                "http://" + registry.getHost() + ":" + registry.getMappedPort(8081),
                AppConfig.STATE_DIR,
                SharedKafka.tempDir("containers").toString(),
                AppConfig.TOPIC_REPLICATION_FACTOR,
                "1")));
  }

  @AfterAll
  static void stopContainers() {
    stopPipeline();
    if (registry != null) {
      registry.stop();
    }
    if (kafka != null) {
      kafka.stop();
    }
    if (network != null) {
      network.close();
    }
  }
}
