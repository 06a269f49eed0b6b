package io.userpipe.runtime.service;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.http.HealthEndpoint;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.MetricsEndpoint;
import io.userpipe.runtime.kafka.ClientSecurity;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.streams.StreamsService;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way to run a service on its own: configuration from the environment, the catalogue's
 * topics, an HTTP server ({@code HTTP_HOST}, {@code HTTP_PORT}) with {@code /health}, {@code
 * /ready} and {@code /metrics} and whatever routes the service mounts, start, and a clean shutdown
 * on SIGTERM, bounded by {@link Shutdown#LIMIT}. A service that fails to start exits with status 1,
 * so an orchestrator restarts it. A service whose secrets are missing or published ({@link Secret})
 * never starts: it exits with status 1 before touching anything, with one log line saying what to
 * set.
 */
public final class ServiceMain {

  /** What a service gives its {@code main}. */
  public interface Service extends AutoCloseable {

    /** Registers its health and readiness checks and metrics, and mounts its routes if any. */
    void mount(HttpService http, HealthEndpoint health, MetricsEndpoint metrics);

    /** Starts and returns once running; throws if it cannot. */
    void start(Duration timeout);

    @Override
    void close();
  }

  private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

  private ServiceMain() {}

  /** Registers a Streams service's liveness, readiness and metrics under its name. */
  public static void register(
      String name, StreamsService streams, HealthEndpoint health, MetricsEndpoint metrics) {
    health.register(name, () -> streams.isHealthy() ? "UP" : streams.state().name());
    health.registerReadiness(name, streams::isReady);
    metrics.register(name, () -> streams.streams().metrics());
  }

  /**
   * Runs the service that {@code factory} makes from the environment's configuration, once the
   * {@code secrets} it needs are there and none is a published value.
   */
  public static void run(
      String name,
      Collection<Secret> secrets,
      Function<AppConfig, Service> factory,
      Duration startTimeout) {
    io.userpipe.runtime.serde.AvroLimits.apply(); // before anything of the service decodes
    AppConfig config = AppConfig.fromEnv();
    refuseUnsafeSecrets(name, config, secrets);
    refuseUnusableKafkaLogin(name, config);
    // Idempotent: whichever service starts first creates the catalogue's topics.
    TopicCreator.ensureCatalogue(config);
    var http = HttpService.from(config);
    var health = new HealthEndpoint();
    health.mount(http);
    var metrics = new MetricsEndpoint();
    metrics.mount(http);
    http.start();
    Service service;
    try {
      service = factory.apply(config);
    } catch (Secret.Refused e) { // a secret the up-front check does not know of
      log.error("{}: refusing to start: {}", name, e.getMessage());
      http.close();
      System.exit(1);
      return;
    } catch (RuntimeException e) {
      log.error("{}: cannot be created: {}", name, e.getMessage(), e);
      http.close();
      System.exit(1);
      return;
    }
    service.mount(http, health, metrics);
    http.routesComplete();
    Shutdown.onSignal(
        name,
        () -> {
          service.close();
          http.close();
        });
    try {
      service.start(startTimeout);
    } catch (RuntimeException e) {
      log.error("{}: failed to start: {}", name, e.getMessage(), e);
      System.exit(1);
    }
    log.info("{}: health, readiness and metrics on {}", name, http.baseUrl());
  }

  /**
   * Exits with status 1 and one log line naming the setting (never its value) when the Kafka client
   * security settings cannot work ({@link ClientSecurity#props}).
   */
  static void refuseUnusableKafkaLogin(String name, AppConfig config) {
    try {
      ClientSecurity.props(config);
    } catch (IllegalStateException e) {
      log.error("{}: refusing to start: {}", name, e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Exits with status 1 and one log line (the setting, and how to generate a value) when one of
   * {@code secrets} is missing or a published value ({@link Secret#check}).
   */
  public static void refuseUnsafeSecrets(
      String name, AppConfig config, Collection<Secret> secrets) {
    try {
      Secret.check(config, secrets);
    } catch (Secret.Refused e) {
      log.error("{}: refusing to start: {}", name, e.getMessage());
      System.exit(1);
    }
  }
}
