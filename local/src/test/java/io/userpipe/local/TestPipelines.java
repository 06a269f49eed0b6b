package io.userpipe.local;

import io.userpipe.commands.UserCommandService;
import io.userpipe.ofac.OfacScreener;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.schemas.TopicSpec;
import io.userpipe.schemas.Topics;
import io.userpipe.tin.TinVerifier;
import io.userpipe.webhooks.Webhooks;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownMemberIdException;

/** What every end-to-end test's pipeline is given on top of the local run's defaults. */
final class TestPipelines {

  /**
   * How long a write waits for its result before answering 202. The tests read a write's answer as
   * a client that waits longer would: the local run's 5 s is a latency bound, and a test that
   * relied on it failed whenever the machine was busy (a create answered 202 after 5 s under the
   * suite's load). Kept under the HTTP server's 30 s answer limit and {@code ApiClient}'s timeout.
   * A test that meets a 202 anyway follows its status URL ({@code ApiClient#decided}).
   */
  static final String WRITE_WAIT = "PT25S";

  private TestPipelines() {}

  /**
   * A configuration on a broker of the test's own, for a test that must see only its own records on
   * topics every pipeline shares (all the users' keys, say), or that deletes such a topic.
   */
  static AppConfig onOwnBroker(io.userpipe.localstack.EmbeddedKafka kafka) {
    return AppConfig.of(
        java.util.Map.of(
            AppConfig.KAFKA_BOOTSTRAP_SERVERS,
            kafka.bootstrapServers(),
            AppConfig.STATE_DIR,
            io.userpipe.runtime.testing.SharedKafka.tempDir("state").toString(),
            AppConfig.APP_ID_PREFIX,
            "own-",
            AppConfig.TOPIC_REPLICATION_FACTOR,
            "1"));
  }

  /**
   * The consumer groups of a pipeline (Streams applications and plain consumers), under its {@code
   * APP_ID_PREFIX}.
   */
  private static final List<String> GROUPS =
      List.of(
          UserCommandService.NAME,
          TinVerifier.NAME,
          OfacScreener.NAME,
          Projections.NAME,
          "sms-relay",
          "tin-worker",
          Webhooks.NAME);

  /**
   * Starts a pipeline on the broker the module's test classes share, as if on a cluster of its own:
   * its new groups start at the end of the shared command and event topics instead of their start.
   * Without this, each class re-decided every earlier class's commands, re-folded their events and
   * re-dead-lettered their hostile records (HostileInputTest's 1,350, with a logged stack trace
   * each) before its own: the later a class ran, the longer it took. The compacted topics (lists,
   * platforms, keys) are still read whole. A group that already has offsets or members (a restart,
   * a second instance) is left as it is. Not for a test that rebuilds the views: tried,
   * RebuildViewsTest and ComplianceHistoryTest then found their own users 404 after the rebuild
   * (the rebuild resets the projections group to the start of the log; why its replay then lacks
   * them is not worked out).
   */
  static LocalPipeline startOnSharedBroker(AppConfig config) {
    startNewGroupsAtTheEnd(config);
    return LocalPipeline.start(config);
  }

  private static void startNewGroupsAtTheEnd(AppConfig config) {
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      Set<String> existing = admin.listTopics().names().get();
      var request = new HashMap<TopicPartition, OffsetSpec>();
      var topics =
          existing.stream()
              .filter(
                  t ->
                      Topics.all().stream()
                              .anyMatch(
                                  spec ->
                                      spec.name().equals(t)
                                          && spec.cleanup() == TopicSpec.Cleanup.DELETE
                                          && !t.endsWith(".dlq"))
                          || Topics.PLATFORM_USER_COMMANDS_PATTERN.matcher(t).matches()
                          || Topics.PLATFORM_OFAC_COMMANDS_PATTERN.matcher(t).matches())
              .toList();
      admin
          .describeTopics(topics)
          .allTopicNames()
          .get()
          .forEach(
              (topic, d) ->
                  d.partitions()
                      .forEach(
                          p ->
                              request.put(
                                  new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
      Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
      admin
          .listOffsets(request)
          .all()
          .get()
          .forEach((tp, info) -> ends.put(tp, new OffsetAndMetadata(info.offset())));
      for (String group : GROUPS) {
        String id = config.appIdPrefix() + group;
        if (!admin.listConsumerGroupOffsets(id).partitionsToOffsetAndMetadata().get().isEmpty()) {
          continue;
        }
        try {
          admin.alterConsumerGroupOffsets(id, ends).all().get();
        } catch (ExecutionException e) {
          // The group has members and no offsets yet: another instance (TwoInstancesTest's
          // first) started it a moment ago, so it is started. Only an empty group takes offsets.
          if (!(e.getCause() instanceof UnknownMemberIdException)) {
            throw e;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot start the groups at the end: " + e.getCause(), e);
    }
  }

  /** The local demo's configuration ({@link LocalDemo#config}), with the tests' write wait. */
  static AppConfig withLocalDefaults(AppConfig config, Path dataDir) {
    return LocalDemo.config(config.with(Projections.HTTP_WAIT, WRITE_WAIT), dataDir);
  }
}
