package io.userpipe.runtime.service;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.HealthEndpoint;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.MetricsEndpoint;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.streams.StreamsService;
import io.userpipe.schemas.Topics;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way to run a service on its own: configuration from the environment, the catalogue's
 * topics, an HTTP server ({@code HTTP_HOST}, {@code HTTP_PORT}) with {@code /health}, {@code
 * /ready} and {@code /metrics} and whatever routes the service mounts, start, and a clean shutdown
 * on SIGTERM, bounded by {@link Shutdown#LIMIT}. A service that fails to start exits with status 1,
 * so an orchestrator restarts it.
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

  /** Runs the service that {@code factory} makes from the environment's configuration. */
  public static void run(String name, Function<AppConfig, Service> factory, Duration startTimeout) {
    AppConfig config = AppConfig.fromEnv();
    // Idempotent: whichever service starts first creates the catalogue's topics.
    TopicCreator.ensure(config, Topics.all());
    var http = HttpService.from(config);
    var health = new HealthEndpoint();
    health.mount(http);
    var metrics = new MetricsEndpoint();
    metrics.mount(http);
    http.start();
    if (config.find(AppConfig.APPLICATION_SERVER).isEmpty()) {
      // the address interactive queries route by (projections); harmless for the others
      config = config.with(AppConfig.APPLICATION_SERVER, "localhost:" + http.port());
    }
    Service service;
    try {
      service = factory.apply(config);
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
}
