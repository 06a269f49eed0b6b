package io.userpipe.runtime.kafka;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.schemas.TopicSpec;
import io.userpipe.schemas.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.ClientDnsLookup;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalogue's topics at start-up, idempotently, and refuses to start against a topic
 * whose partition count differs from the catalogue's: keyed routing (one user per phone number)
 * depends on every writer and reader agreeing on it.
 */
public final class TopicCreator {

  private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);

  private TopicCreator() {}

  /**
   * What every client of the cluster (admin, producer, consumer, Streams) starts from: where the
   * cluster is, to try every address a name resolves to, and how to authenticate ({@link
   * ClientSecurity}, from the environment).
   */
  public static Map<String, Object> commonClientProps(AppConfig config) {
    var props = new HashMap<String, Object>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(
        CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG, ClientDnsLookup.USE_ALL_DNS_IPS.toString());
    props.put(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, config.clientMetricsPush());
    props.putAll(ClientSecurity.props(config));
    return props;
  }

  /**
   * Creates the missing topics of the catalogue, the platforms' anchors ({@link
   * Topics#platformAnchors}), and the own topics ({@link Topics#forPlatform}) of each platform that
   * {@code PLATFORMS} seeds; {@code bin/platforms add} creates a new platform's.
   */
  public static void ensureCatalogue(AppConfig config) {
    var specs = new ArrayList<TopicSpec<?, ?>>(Topics.all());
    specs.addAll(Topics.platformAnchors());
    for (var seed : PlatformDirectory.seeds(config)) {
      specs.addAll(Topics.forPlatform(seed.platformId()));
    }
    ensure(config, specs);
  }

  /** Creates the missing topics of {@code specs}, with the configured replication factor. */
  public static void ensure(AppConfig config, Collection<? extends TopicSpec<?, ?>> specs) {
    try (Admin admin = Admin.create(commonClientProps(config))) {
      ensure(admin, specs, config.topicReplicationFactor());
    }
  }

  /**
   * Creates the missing topics of {@code specs} through {@code admin}; {@code replication} -1 means
   * the broker's default. Topics that already exist are left as they are, but must have the
   * catalogue's partition count.
   */
  public static void ensure(
      Admin admin, Collection<? extends TopicSpec<?, ?>> specs, int replication) {
    Optional<Short> rf = replication < 0 ? Optional.empty() : Optional.of((short) replication);
    Map<String, TopicSpec<?, ?>> byName = new LinkedHashMap<>();
    specs.forEach(spec -> byName.putIfAbsent(spec.name(), spec));
    try {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      List<TopicSpec<?, ?>> present = new ArrayList<>();
      for (TopicSpec<?, ?> spec : byName.values()) {
        if (existing.contains(spec.name())) {
          present.add(spec);
        } else {
          missing.add(
              new NewTopic(spec.name(), Optional.of(spec.partitions()), rf).configs(configs(spec)));
        }
      }
      List<String> notOurs = new ArrayList<>();
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get();
          TopicSpec<?, ?> spec = byName.get(entry.getKey());
          log.info(
              "created topic {} ({} partitions, {})",
              spec.name(),
              spec.partitions(),
              spec.cleanup().policy());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof TopicAuthorizationException) {
            // a cluster with ACLs: the topic is the operators' to create, and invisible to a
            // principal that neither reads nor writes it (docs/SECURITY.md, bin/acls)
            notOurs.add(entry.getKey());
            continue;
          }
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          // another instance created it between our list and our create: check it like the rest
          present.add(byName.get(entry.getKey()));
        }
      }
      if (!notOurs.isEmpty()) {
        log.info(
            "{} topics are neither visible to this principal nor its to create, left to the"
                + " operators (bin/acls): {}",
            notOurs.size(),
            notOurs);
      }
      verifyPartitions(admin, present);
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
    configs.putAll(spec.configs());
    return configs;
  }

  /**
   * Only topics that existed before are checked: the ones just created have the catalogue's count
   * by construction, and describing them at once can race the broker's metadata update.
   */
  private static void verifyPartitions(Admin admin, List<TopicSpec<?, ?>> specs)
      throws InterruptedException, ExecutionException {
    if (specs.isEmpty()) {
      return;
    }
    Map<String, TopicDescription> descriptions =
        admin.describeTopics(specs.stream().map(TopicSpec::name).toList()).allTopicNames().get();
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
