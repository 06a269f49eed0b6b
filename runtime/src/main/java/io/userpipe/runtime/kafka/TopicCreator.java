package io.userpipe.runtime.kafka;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.schemas.TopicSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalogue's topics at start-up, idempotently, and refuses to start against a topic
 * whose partition count differs from the catalogue's: keyed routing (one user per phone number)
 * depends on it.
 */
public final class TopicCreator {

  private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);

  private TopicCreator() {}

  /** What every client of the cluster needs: where it is. */
  public static Map<String, Object> commonClientProps(AppConfig config) {
    var props = new HashMap<String, Object>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return props;
  }

  public static void ensure(AppConfig config, Collection<TopicSpec<?, ?>> specs) {
    try (Admin admin = Admin.create(commonClientProps(config))) {
      ensure(admin, specs, config.getInt(AppConfig.TOPIC_REPLICATION_FACTOR, -1));
    }
  }

  public static void ensure(Admin admin, Collection<TopicSpec<?, ?>> specs, int replication) {
    Optional<Short> rf = replication < 0 ? Optional.empty() : Optional.of((short) replication);
    try {
      var existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec<?, ?> spec : specs) {
        if (!existing.contains(spec.name())) {
          missing.add(
              new NewTopic(spec.name(), Optional.of(spec.partitions()), rf).configs(configs(spec)));
        }
      }
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get();
          log.info("created topic {}", entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      verifyPartitions(admin, specs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e);
    }
  }

  private static Map<String, String> configs(TopicSpec<?, ?> spec) {
    var configs = new HashMap<String, String>();
    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanup().policy());
    if (spec.cleanup() == TopicSpec.Cleanup.DELETE) {
      configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(spec.retentionMs()));
    }
    return configs;
  }

  private static void verifyPartitions(Admin admin, Collection<TopicSpec<?, ?>> specs)
      throws InterruptedException, ExecutionException {
    Map<String, TopicDescription> descriptions =
        admin
            .describeTopics(specs.stream().map(TopicSpec::name).collect(Collectors.toList()))
            .allTopicNames()
            .get();
    for (TopicSpec<?, ?> spec : specs) {
      int actual = descriptions.get(spec.name()).partitions().size();
      if (actual != spec.partitions()) {
        throw new IllegalStateException(
            "topic "
                + spec.name()
                + " has "
                + actual
                + " partitions, the catalogue says "
                + spec.partitions()
                + ": keyed routing would break; fix the topic or the catalogue");
      }
    }
  }
}
