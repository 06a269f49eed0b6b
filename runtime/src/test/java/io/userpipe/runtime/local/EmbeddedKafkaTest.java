package io.userpipe.runtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.schemas.TopicSpec;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

  private static final TopicSpec<String, String> COMPACTED =
      new TopicSpec<>(
          "compacted-thing",
          String.class,
          String.class,
          3,
          TopicSpec.Cleanup.COMPACT,
          null,
          "t",
          "t",
          "t");
  private static final TopicSpec<String, String> RETAINED =
      new TopicSpec<>(
          "retained-thing",
          String.class,
          String.class,
          2,
          TopicSpec.Cleanup.DELETE,
          java.time.Duration.ofHours(1),
          "t",
          "t",
          "t");

  @Test
  void aRestartOnTheSameDirectoryKeepsItsTopics() throws Exception {
    var dir = SharedKafka.tempDir("restart");
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (var kafka = EmbeddedKafka.start(dir, port)) {
      TopicCreator.ensure(
          AppConfig.of(Map.of(AppConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers())),
          List.of(RETAINED));
    }
    try (var kafka = EmbeddedKafka.start(dir, port);
        var admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      assertTrue(admin.listTopics().names().get().contains(RETAINED.name()));
      assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"));
    }
  }

  @Test
  void topicCreationIsIdempotentAndAppliesTheCatalogue() throws Exception {
    AppConfig config = SharedKafka.config();
    TopicCreator.ensure(config, List.of(COMPACTED, RETAINED));
    TopicCreator.ensure(config, List.of(COMPACTED, RETAINED));

    try (var admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()))) {
      var described =
          admin.describeTopics(Set.of(COMPACTED.name(), RETAINED.name())).allTopicNames().get();
      assertEquals(3, described.get(COMPACTED.name()).partitions().size());
      assertEquals(2, described.get(RETAINED.name()).partitions().size());
      var compacted = new ConfigResource(ConfigResource.Type.TOPIC, COMPACTED.name());
      var retained = new ConfigResource(ConfigResource.Type.TOPIC, RETAINED.name());
      var configs = admin.describeConfigs(List.of(compacted, retained)).all().get();
      assertEquals("compact", configs.get(compacted).get("cleanup.policy").value());
      assertEquals("3600000", configs.get(retained).get("retention.ms").value());
    }
  }

  @Test
  void refusesATopicWhosePartitionsDifferFromTheCatalogue() {
    AppConfig config = SharedKafka.config();
    var name = "mismatch-" + java.util.UUID.randomUUID();
    TopicCreator.ensure(
        config,
        List.of(
            new TopicSpec<>(
                name,
                String.class,
                String.class,
                1,
                TopicSpec.Cleanup.DELETE,
                null,
                "t",
                "t",
                "t")));
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class,
            () ->
                TopicCreator.ensure(
                    config,
                    List.of(
                        new TopicSpec<>(
                            name,
                            String.class,
                            String.class,
                            4,
                            TopicSpec.Cleanup.DELETE,
                            null,
                            "t",
                            "t",
                            "t"))));
    assertTrue(e.getMessage().contains("partitions"));
  }
}
