package io.userpipe.local;

import io.userpipe.projections.Projections;
import io.userpipe.runtime.config.AppConfig;
import java.nio.file.Path;

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

  /** The local demo's configuration ({@link LocalDemo#config}), with the tests' write wait. */
  static AppConfig withLocalDefaults(AppConfig config, Path dataDir) {
    return LocalDemo.config(config.with(Projections.HTTP_WAIT, WRITE_WAIT), dataDir);
  }
}
