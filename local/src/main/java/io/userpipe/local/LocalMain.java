package io.userpipe.local;

import io.userpipe.commands.sms.SmsSenders;
import io.userpipe.localstack.EmbeddedKafka;
import io.userpipe.localstack.LocalSchemaRegistry;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.cli.OperatorsTool;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.ClientSecurity;
import io.userpipe.runtime.service.ServiceMain;
import io.userpipe.runtime.service.Shutdown;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on one machine, nothing installed: a real KRaft broker in-process unless
 * {@code KAFKA_BOOTSTRAP_SERVERS} names a cluster, a real schema registry (Apicurio, in memory) on
 * loopback unless {@code SCHEMA_REGISTRY_URL} names one, every service, and the HTTP API.
 *
 * <p>With its own broker it is the local demo ({@link LocalDemo}: demo platform, demo operator
 * token, fresh keys). Against an external cluster it is no demo: it takes its secrets from the
 * environment like any service and refuses to start without them, or with published ones.
 *
 * <p>The local registry keeps schemas in memory, so a local run starts from empty data each time
 * ({@code LOCAL_DATA_DIR}, default {@code var/local}, is wiped at start): old records would name
 * schema ids the new registry does not know.
 */
public final class LocalMain {

  private static final Logger log = LoggerFactory.getLogger(LocalMain.class);

  /** The first operator of the local demo; its secret is {@code ADMIN_TOKEN}. */
  static final String DEMO_OPERATOR = "demo-operator";

  private LocalMain() {}

  public static void main(String[] args) {
    long startedAt = System.nanoTime();
    io.userpipe.runtime.serde.AvroLimits.apply(); // before anything of the pipeline decodes
    AppConfig config = AppConfig.fromEnv();
    boolean demo = LocalDemo.isDemoRun(config);
    if (!demo) {
      // before anything starts: no demo secret reaches an external cluster
      ServiceMain.refuseUnsafeSecrets("userpipe", config, LocalPipeline.SECRETS);
    }
    boolean demoPlatform = demo && config.find(Projections.PLATFORMS).isEmpty();
    if (config.find(AppConfig.KAFKA_BOOTSTRAP_SERVERS).isEmpty()) {
      refuseLoginForTheEmbeddedBroker(config);
    }
    Path dataDir = Path.of(config.get("LOCAL_DATA_DIR", "var/local")).toAbsolutePath();
    wipe(dataDir);
    Deque<AutoCloseable> resources = new ArrayDeque<>();
    Shutdown.onSignal("userpipe", () -> closeAll(resources));

    // the registry's own process starts while the broker does: neither needs the other
    CompletableFuture<LocalSchemaRegistry> registryStart =
        config.find(AppConfig.SCHEMA_REGISTRY_URL).isEmpty()
            ? CompletableFuture.supplyAsync(
                () -> LocalSchemaRegistry.start(dataDir.resolve("registry")),
                task -> new Thread(task, "registry-start").start())
            : CompletableFuture.completedFuture(null);
    if (config.find(AppConfig.KAFKA_BOOTSTRAP_SERVERS).isEmpty()) {
      EmbeddedKafka kafka;
      try {
        kafka =
            EmbeddedKafka.start(dataDir.resolve("kafka"), config.getInt("LOCAL_KAFKA_PORT", 9092));
      } catch (RuntimeException e) {
        registryStart.thenAccept(r -> r.close()); // not left running on its own
        throw e;
      }
      resources.push(kafka);
      config = config.with(AppConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      log.info("embedded Kafka broker (KRaft) at {}", kafka.bootstrapServers());
    }
    var registry = registryStart.join();
    if (registry != null) {
      resources.push(registry);
      config = config.with(AppConfig.SCHEMA_REGISTRY_URL, registry.url());
      log.info("local schema registry (Apicurio) at {}", registry.url());
    }
    config = pipelineConfig(config, demo, dataDir);
    config = config.with(AppConfig.STATE_DIR, dataDir.resolve("state").toString());

    if (demo) {
      bootstrapDemoOperator(config);
    }

    var pipeline = LocalPipeline.start(config);
    resources.push(pipeline);
    try {
      if (!pipeline.awaitReady(Duration.ofSeconds(60))) {
        System.out.printf(
            "userpipe started but is not ready after 60 s: see %s/ready%n", pipeline.baseUrl());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    long millis = (System.nanoTime() - startedAt) / 1_000_000;
    System.out.printf(
        "%nuserpipe is up in %.1f s%n  API:      %s%n  Kafka:    %s%n  Registry: %s%n"
            + "  SMS: %s%n",
        millis / 1000.0,
        pipeline.baseUrl(),
        config.require(AppConfig.KAFKA_BOOTSTRAP_SERVERS),
        config.require(AppConfig.SCHEMA_REGISTRY_URL),
        SmsSenders.twilio(config).isPresent()
            ? "Twilio's Messages API"
            : "the outbox file (the local phone) " + SmsSenders.outbox(config));
    if (demoPlatform) {
      System.out.printf(
          "  Demo platform credentials: %s:%s (curl -u %s:%s %s/health)%n",
          LocalDemo.DEMO_CLIENT_ID,
          LocalDemo.DEMO_API_KEY,
          LocalDemo.DEMO_CLIENT_ID,
          LocalDemo.DEMO_API_KEY,
          pipeline.baseUrl());
    }
    if (demo) {
      System.out.printf(
          "  Demo operator: %s:%s (curl -u %s:%s %s/admin/ofac/review-queue);"
              + " more with bin/operators%n",
          DEMO_OPERATOR,
          LocalDemo.DEMO_ADMIN_TOKEN,
          DEMO_OPERATOR,
          LocalDemo.DEMO_ADMIN_TOKEN,
          pipeline.baseUrl());
    }
    System.out.println("  Ready: " + pipeline.baseUrl() + "/ready answers 200");
    System.out.println("Press Ctrl-C to stop.");
  }

  /**
   * The pipeline's configuration: the demo's ({@link LocalDemo#config}) when this run started its
   * own broker; otherwise the environment's, with only the defaults that are no secret.
   */
  static AppConfig pipelineConfig(AppConfig config, boolean demo, Path dataDir) {
    return demo
        ? LocalDemo.config(config, dataDir)
        : LocalPipeline.withLocalDefaults(config, dataDir);
  }

  /**
   * {@code ADMIN_TOKEN}'s one use: the local demo's first operator, {@code demo-operator}, with
   * that secret, added unless an operator of that id exists (a retired one stays retired). Every
   * other operator is made with {@code bin/operators}; no service reads {@code ADMIN_TOKEN}. Done
   * before the pipeline starts, so the doors know it once they answer.
   */
  /**
   * The local run's own broker does not authenticate: a login in the environment was meant for a
   * cluster, and would only make every client fail to connect to this one.
   */
  private static void refuseLoginForTheEmbeddedBroker(AppConfig config) {
    var security = new java.util.HashMap<>(ClientSecurity.props(config));
    security.remove("security.protocol", "PLAINTEXT");
    if (!security.isEmpty()) {
      throw new IllegalStateException(
          "the KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_* and KAFKA_SSL_* settings are for a cluster"
              + " named by KAFKA_BOOTSTRAP_SERVERS; the local run's embedded broker does not"
              + " authenticate: unset them, or set KAFKA_BOOTSTRAP_SERVERS");
    }
  }

  private static void bootstrapDemoOperator(AppConfig config) {
    try {
      if (new OperatorsTool(config, System.out, "local-bootstrap")
          .addIfAbsent(DEMO_OPERATOR, config.require(LocalPipeline.ADMIN_TOKEN))) {
        log.info("added the demo operator {} (secret: ADMIN_TOKEN)", DEMO_OPERATOR);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while adding the demo operator", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot add the demo operator", e.getCause());
    }
  }

  private static void closeAll(Deque<AutoCloseable> resources) {
    while (!resources.isEmpty()) {
      AutoCloseable next = resources.pop();
      try {
        next.close();
      } catch (Exception e) {
        log.warn("closing {} failed", next, e);
      }
    }
  }

  private static void wipe(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot wipe " + dir, e);
    }
  }
}
