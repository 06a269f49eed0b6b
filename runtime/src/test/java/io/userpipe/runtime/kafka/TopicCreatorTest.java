package io.userpipe.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.schemas.TopicSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class TopicCreatorTest {

  @Test
  void createsMissingTopicsWithTheCataloguePartitionsCleanupAndRetention() throws Exception {
    String prefix = SharedKafka.uniqueTopicPrefix();
    var compacted = spec(prefix + "compacted", 3, TopicSpec.Cleanup.COMPACT, null);
    var retained = spec(prefix + "retained", 2, TopicSpec.Cleanup.DELETE, Duration.ofHours(1));
    AppConfig config = SharedKafka.config();

    TopicCreator.ensure(config, List.of(compacted, retained));

    try (var admin = Admin.create(TopicCreator.commonClientProps(config))) {
      var described =
          admin.describeTopics(Set.of(compacted.name(), retained.name())).allTopicNames().get();
      assertEquals(3, described.get(compacted.name()).partitions().size());
      assertEquals(2, described.get(retained.name()).partitions().size());
      var configs = topicConfigs(admin, compacted.name(), retained.name());
      assertEquals("compact", configs.get(compacted.name()).get("cleanup.policy"));
      assertEquals("delete", configs.get(retained.name()).get("cleanup.policy"));
      assertEquals("3600000", configs.get(retained.name()).get("retention.ms"));
    }
  }

  @Test
  void ensuringTwiceChangesNothingAndKeepsTheRecords() throws Exception {
    var topic = spec(SharedKafka.uniqueTopicPrefix() + "twice", 2, TopicSpec.Cleanup.DELETE, null);
    AppConfig config = SharedKafka.config();

    TopicCreator.ensure(config, List.of(topic));
    TopicCreator.ensure(config, List.of(topic, topic));

    try (var admin = Admin.create(TopicCreator.commonClientProps(config))) {
      assertEquals(
          2,
          admin
              .describeTopics(Set.of(topic.name()))
              .allTopicNames()
              .get()
              .get(topic.name())
              .partitions()
              .size());
      assertEquals("-1", topicConfigs(admin, topic.name()).get(topic.name()).get("retention.ms"));
    }
  }

  @Test
  void appliesExtraTopicConfigsOfTheCatalogue() throws Exception {
    var topic =
        new TopicSpec<>(
            SharedKafka.uniqueTopicPrefix() + "extra",
            String.class,
            String.class,
            1,
            TopicSpec.Cleanup.COMPACT,
            null,
            "t",
            "t",
            "t",
            Map.of("delete.retention.ms", "60000"));
    AppConfig config = SharedKafka.config();

    TopicCreator.ensure(config, List.of(topic));

    try (var admin = Admin.create(TopicCreator.commonClientProps(config))) {
      assertEquals(
          "60000", topicConfigs(admin, topic.name()).get(topic.name()).get("delete.retention.ms"));
    }
  }

  @Test
  void refusesATopicWhosePartitionsDifferFromTheCatalogue() {
    String name = SharedKafka.uniqueTopicPrefix() + "mismatch";
    AppConfig config = SharedKafka.config();
    TopicCreator.ensure(config, List.of(spec(name, 1, TopicSpec.Cleanup.DELETE, null)));

    var e =
        assertThrows(
            IllegalStateException.class,
            () ->
                TopicCreator.ensure(
                    config, List.of(spec(name, 4, TopicSpec.Cleanup.DELETE, null))));
    assertTrue(e.getMessage().contains(name + " has 1 partitions, the catalogue says 4"));
  }

  @Test
  void leavesTheReplicationFactorToTheBrokerWhenNotConfigured() throws Exception {
    var topic = spec(SharedKafka.uniqueTopicPrefix() + "rf", 1, TopicSpec.Cleanup.DELETE, null);
    AppConfig config = SharedKafka.config().with(AppConfig.TOPIC_REPLICATION_FACTOR, "-1");

    TopicCreator.ensure(config, List.of(topic));

    try (var admin = Admin.create(TopicCreator.commonClientProps(config))) {
      var partition =
          admin
              .describeTopics(Set.of(topic.name()))
              .allTopicNames()
              .get()
              .get(topic.name())
              .partitions()
              .get(0);
      assertEquals(1, partition.replicas().size());
    }
  }

  private static TopicSpec<String, String> spec(
      String name, int partitions, TopicSpec.Cleanup cleanup, Duration retention) {
    return new TopicSpec<>(
        name, String.class, String.class, partitions, cleanup, retention, "t", "t", "t");
  }

  private static Map<String, Map<String, String>> topicConfigs(Admin admin, String... topics)
      throws Exception {
    var resources =
        Arrays.stream(topics).map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    var configs = admin.describeConfigs(resources).all().get();
    var result = new HashMap<String, Map<String, String>>();
    configs.forEach(
        (resource, config) -> {
          var values = new HashMap<String, String>();
          config.entries().forEach(entry -> values.put(entry.name(), entry.value()));
          result.put(resource.name(), values);
        });
    return result;
  }
}
