package io.userpipe.local;

import io.userpipe.commands.UserCommandService;
import io.userpipe.ofac.OfacScreener;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.http.HealthEndpoint;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.MetricsEndpoint;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.tin.TinVerifier;
import io.userpipe.webhooks.Webhooks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every service of the pipeline in one JVM, against the cluster and registry the configuration
 * names, behind one HTTP port. The local run and the end-to-end tests start the pipeline this way.
 */
public final class LocalPipeline implements AutoCloseable {

  public static final String LOCAL_SERVICES = "LOCAL_SERVICES";

  /** The secrets its services need, together. */
  static final List<Secret> SECRETS =
      Stream.of(
              UserCommandService.SECRETS,
              Projections.SECRETS,
              TinVerifier.SECRETS,
              OfacScreener.SECRETS,
              Webhooks.SECRETS)
          .flatMap(List::stream)
          .distinct()
          .toList();

  /**
   * The local demo's bootstrap: the secret of the first operator, {@code demo-operator}, which
   * {@link LocalMain} adds when it does not exist. No service reads it.
   */
  public static final String ADMIN_TOKEN = "ADMIN_TOKEN";

  private static final Logger log = LoggerFactory.getLogger(LocalPipeline.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final HttpService http;
  private final HealthEndpoint health = new HealthEndpoint();
  private Projections projections;

  private LocalPipeline(HttpService http) {
    this.http = http;
  }

  public static LocalPipeline start(AppConfig initial) {
    return start(initial, (service, config) -> config);
  }

  /**
   * Starts the pipeline with each service's configuration made by {@code perService} from the
   * common one: with its own Kafka login, for instance, as each would run on a cluster with ACLs
   * ({@code KafkaLeastPrivilegeTest}). The catalogue's topics are created with the common one.
   */
  public static LocalPipeline start(
      AppConfig initial, java.util.function.BiFunction<String, AppConfig, AppConfig> perService) {
    AppConfig config = initial;
    TopicCreator.ensureCatalogue(config);
    var http = HttpService.from(config);
    var pipeline = new LocalPipeline(http);
    try {
      // The API answers from the first moment (503 while the views warm up).
      http.start();
      pipeline.started.push(http);
      var health = pipeline.health;
      health.mount(http);
      var metrics = new MetricsEndpoint();
      metrics.mount(http);
      if (!runs(config, OfacScreener.NAME)
          && config.find(Projections.OFAC_FIRST_VERDICT_WAIT).isEmpty()) {
        config =
            config.with(Projections.OFAC_FIRST_VERDICT_WAIT, "PT0S"); // no screener to wait for
      }
      // every service mounts its checks, metrics and routes as its own main does (ServiceMain)
      UserCommandService commands =
          UserCommandService.create(perService.apply(UserCommandService.NAME, config));
      pipeline.started.push(commands);
      commands.mount(http, health, metrics);

      Projections projections = Projections.create(perService.apply(Projections.NAME, config));
      pipeline.started.push(projections);
      pipeline.projections = projections;
      projections.mount(http, health, metrics);

      TinVerifier tins = null;
      if (runs(config, TinVerifier.NAME)) {
        tins = TinVerifier.create(perService.apply(TinVerifier.NAME, config));
        pipeline.started.push(tins);
        tins.mount(http, health, metrics);
      }

      OfacScreener ofac = null;
      if (runs(config, OfacScreener.NAME)) {
        ofac = OfacScreener.create(perService.apply(OfacScreener.NAME, config));
        pipeline.started.push(ofac);
        ofac.mount(http, health, metrics);
      }

      Webhooks webhooks = null;
      if (runs(config, Webhooks.NAME)) {
        webhooks = Webhooks.create(perService.apply(Webhooks.NAME, config));
        pipeline.started.push(webhooks);
        webhooks.mount(http, health, metrics);
      }

      // All at once: each waits for its own group's first rebalance (and ofac-screener for its
      // list index), which took 9 s one after the other. Nothing waits on another to start: a
      // command sent meanwhile waits in its topic.
      var starts = new java.util.ArrayList<Runnable>();
      starts.add(() -> commands.start(START_TIMEOUT));
      starts.add(() -> projections.start(START_TIMEOUT));
      if (ofac != null) {
        OfacScreener screener = ofac;
        starts.add(() -> screener.start(START_TIMEOUT));
      }
      if (tins != null) {
        TinVerifier verifier = tins;
        starts.add(() -> verifier.start(START_TIMEOUT));
      }
      if (webhooks != null) {
        Webhooks hooks = webhooks;
        starts.add(() -> hooks.start(START_TIMEOUT));
      }
      startTogether(starts);
      http.routesComplete();
      // RUNNING is not yet serving: a thread may still restore its stores, and writes would get
      // 503s for a few seconds. Callers (the local run, the tests) are handed a pipeline that
      // serves.
      if (!pipeline.awaitReady(START_TIMEOUT)) {
        log.warn("pipeline started but not ready within {}: see /ready", START_TIMEOUT);
      }
      log.info("pipeline ready at {}", http.baseUrl());
      return pipeline;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pipeline.close();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (RuntimeException e) {
      pipeline.close();
      throw e;
    }
  }

  /** Runs every start on a thread of its own and returns when all are done; fails if one does. */
  private static void startTogether(java.util.List<Runnable> starts) {
    var futures =
        starts.stream()
            .map(
                start ->
                    java.util.concurrent.CompletableFuture.runAsync(
                        start, task -> new Thread(task, "service-start").start()))
            .toList();
    RuntimeException failure = null;
    for (var future : futures) {
      try {
        future.join();
      } catch (java.util.concurrent.CompletionException e) {
        RuntimeException cause =
            e.getCause() instanceof RuntimeException r
                ? r
                : new IllegalStateException(e.getCause());
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Whether the optional service runs here: {@code LOCAL_SERVICES} lists them (comma-separated),
   * all by default. user-command-service and projections always run: they are the API.
   */
  private static boolean runs(AppConfig config, String service) {
    return config
        .find(LOCAL_SERVICES)
        .map(list -> java.util.Arrays.asList(list.split(",")).contains(service))
        .orElse(true);
  }

  /**
   * Fills in what a local run needs and is no secret: the SMS outbox file under {@code dataDir}.
   * The demo's secrets are {@link LocalDemo}'s; anything else takes them from the environment.
   */
  public static AppConfig withLocalDefaults(AppConfig config, Path dataDir) {
    if (config.find(UserCommandService.SMS_OUTBOX_FILE).isEmpty()) {
      config =
          config.with(
              UserCommandService.SMS_OUTBOX_FILE, dataDir.resolve("sms-outbox.txt").toString());
    }
    return config;
  }

  /**
   * Blocks until {@code /ready} would answer 200 (every service's threads running, the views
   * queryable): what "up" means to a client.
   *
   * @return false if that did not happen within the timeout
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!health.isReady()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  /** The public HTTP door's routes, {@code METHOD /template} (tests). */
  public List<String> routes() {
    return http.routeTable();
  }

  public String baseUrl() {
    return http.baseUrl();
  }

  /** Where projections' internal listener is: its instances' views, never on the public port. */
  String internalBaseUrl() {
    return projections.internalBaseUrl();
  }

  /**
   * Closes the services side by side (they are independent, and each close waits on its own commits
   * and stores: one after the other they could outlast the stop's limit), then the HTTP server,
   * which answers 503 until then.
   */
  @Override
  public void close() {
    var services = new java.util.ArrayList<AutoCloseable>(started);
    started.clear();
    services.remove(http);
    var closing =
        services.stream()
            .map(
                service ->
                    java.util.concurrent.CompletableFuture.runAsync(
                        () -> closeQuietly(service),
                        task -> new Thread(task, "service-close").start()))
            .toList();
    closing.forEach(java.util.concurrent.CompletableFuture::join);
    closeQuietly(http);
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      log.warn("closing {} failed", resource, e);
    }
  }
}
