package io.userpipe.projections.cli;

import io.userpipe.projections.Projections;
import io.userpipe.projections.rebuild.ReplayBoundary;
import io.userpipe.projections.rebuild.ReplayGate;
import io.userpipe.projections.rebuild.ReplayMarksTopic;
import io.userpipe.projections.rebuild.ReplayProgress;
import io.userpipe.projections.rebuild.ViewRebuild;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.serde.AvroSerdes;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator's view rebuild:
 *
 * <pre>
 * RebuildViews reset      # with every projections instance stopped: reset it to replay its views
 * RebuildViews progress   # follow the replay once the instances run again (until it is complete)
 * </pre>
 *
 * The cluster and registry come from {@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL}
 * and {@code APP_ID_PREFIX}, as for the services. See {@link ViewRebuild} for what a reset does.
 */
public final class RebuildViews {

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

  private RebuildViews() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !(args[0].equals("reset") || args[0].equals("progress"))) {
      System.err.println("usage: rebuild-views reset|progress");
      System.exit(2);
      return;
    }
    var config = AppConfig.fromEnv();
    try {
      if (args[0].equals("reset")) {
        ReplayBoundary boundary =
            new ViewRebuild(config, Projections.NAME, Clock.systemUTC()).reset(System.out::println);
        System.out.printf(
            "done: start the projections instances; each wipes its local state for rebuild %s and"
                + " replays. Follow with: bin/rebuild-views progress%n",
            boundary.rebuildId());
      } else {
        System.exit(follow(config) ? 0 : 1);
      }
    } catch (IllegalStateException e) {
      System.err.println("rebuild-views: " + e.getMessage());
      System.exit(1);
    }
  }

  private static boolean follow(AppConfig config) throws InterruptedException {
    String group = config.appIdPrefix() + Projections.NAME;
    ReplayBoundary boundary = new ReplayMarksTopic(config, AvroSerdes.from(config)).latest(group);
    if (boundary.isNone()) {
      System.out.println("no rebuild of " + group + " was ever asked for");
      return true;
    }
    try (var progress = new ReplayProgress(config, group, boundary)) {
      return progress
          .follow(
              PROGRESS_EVERY,
              PROGRESS_EVERY,
              Duration.ofDays(1),
              ReplayGate.open(),
              System.out::println)
          .complete();
    }
  }
}
