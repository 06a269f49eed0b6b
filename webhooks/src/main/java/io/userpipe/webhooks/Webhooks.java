package io.userpipe.webhooks;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.http.HealthEndpoint;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.MetricsEndpoint;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.CompactedTopicFollower;
import io.userpipe.runtime.platforms.PlatformFollower;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.service.ServiceMain;
import io.userpipe.runtime.streams.StreamsService;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.WebhookEndpoint;
import io.userpipe.webhooks.delivery.AddressGuard;
import io.userpipe.webhooks.delivery.PinnedPost;
import io.userpipe.webhooks.domain.RetrySchedule;
import io.userpipe.webhooks.endpoints.EndpointDirectory;
import io.userpipe.webhooks.endpoints.EndpointWriter;
import io.userpipe.webhooks.http.WebhooksApi;
import io.userpipe.webhooks.topology.UndeliveredEvents;
import io.userpipe.webhooks.topology.WebhookMetrics;
import io.userpipe.webhooks.topology.WebhooksTopology;
import io.userpipe.webhooks.worker.DeliveryWorker;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * webhooks: tells each platform, by signed HTTP posts to the endpoints it registered ({@code
 * /v2/webhooks}), of the compliance events of the people connected to it. A Streams app keeps the
 * queues (per endpoint and person) and their timers; a worker of its own posts. Configuration
 * beyond the common keys: {@code DATA_KEYS} (seal the endpoints' secrets), {@code PLATFORMS};
 * {@code WEBHOOKS_FIRST_RETRY} (PT5S, the first backoff, about four times longer each time), {@code
 * WEBHOOKS_MAX_BACKOFF} (PT12H), {@code WEBHOOKS_GIVE_UP_AFTER} (P3D), {@code
 * WEBHOOKS_ATTEMPT_LEASE} (PT1M, when an attempt with no outcome counts as failed), {@code
 * WEBHOOKS_TIMEOUT} (PT15S, a whole delivery), {@code WEBHOOKS_THREADS} (16), {@code
 * WEBHOOKS_PER_ENDPOINT} (4, requests in flight per endpoint); {@code WEBHOOKS_ALLOW_PRIVATE}
 * ({@code false}): only the local demo sets it, to post to loopback and private addresses over
 * plain http.
 */
public final class Webhooks implements ServiceMain.Service {

  public static final String NAME = "webhooks";

  public static final String ALLOW_PRIVATE = "WEBHOOKS_ALLOW_PRIVATE";

  /** The secrets it needs: it refuses to start without them, or with published ones. */
  public static final List<Secret> SECRETS = List.of(Secret.DATA_KEYS, Secret.PLATFORMS);

  private static final Logger log = LoggerFactory.getLogger(Webhooks.class);

  private final StreamsService streams;
  private final DeliveryWorker worker;
  private final CompactedTopicFollower<WebhookEndpoint> follower;
  private final PlatformFollower platforms;
  private final EndpointDirectory directory;
  private final EndpointWriter writer;
  private final AddressGuard guard;
  private final WebhookMetrics metrics;

  private Webhooks(AppConfig config) {
    Secret.check(config, SECRETS);
    var serdes = AvroSerdes.from(config);
    var clock = Clock.systemUTC();
    this.directory = new EndpointDirectory(DataKeys.from(config));
    this.guard = guard(config);
    this.metrics = new WebhookMetrics();
    this.platforms = new PlatformFollower(config, serdes, NAME + "-platforms");
    this.follower =
        new CompactedTopicFollower<>(
            config, serdes, Topics.WEBHOOK_ENDPOINTS, NAME + "-endpoints", directory::apply);
    this.writer =
        new EndpointWriter(
            new KafkaProducer<>(
                ClientProps.durableWriter(config, NAME + "-endpoints"),
                serdes.keySerde(Topics.WEBHOOK_ENDPOINTS).serializer(),
                serdes.valueSerde(Topics.WEBHOOK_ENDPOINTS).serializer()),
            directory);
    var timeout = config.getDuration("WEBHOOKS_TIMEOUT", Duration.ofSeconds(15));
    this.worker =
        new DeliveryWorker(
            directory,
            guard,
            new PinnedPost(
                Duration.ofSeconds(Math.min(5, Math.max(1, timeout.toSeconds()))),
                timeout,
                (SSLSocketFactory) SSLSocketFactory.getDefault()),
            new KafkaProducer<>(
                ClientProps.durableWriter(config, NAME + "-worker"),
                serdes.keySerde(Topics.WEBHOOK_ATTEMPTS).serializer(),
                serdes.valueSerde(Topics.WEBHOOK_ATTEMPTS).serializer()),
            config.getInt("WEBHOOKS_THREADS", 16),
            config.getInt("WEBHOOKS_PER_ENDPOINT", 4),
            clock);
    var d = RetrySchedule.DEFAULT;
    var schedule =
        new RetrySchedule(
            config.getDuration("WEBHOOKS_FIRST_RETRY", d.first()),
            d.factor(),
            config.getDuration("WEBHOOKS_MAX_BACKOFF", d.cap()),
            config.getDuration("WEBHOOKS_GIVE_UP_AFTER", d.giveUpAfter()));
    var settings =
        new WebhooksTopology.Settings(
            schedule,
            config.getDuration("WEBHOOKS_ATTEMPT_LEASE", WebhooksTopology.Settings.DEFAULT.lease()),
            WebhooksTopology.Settings.DEFAULT.tick());
    this.streams =
        StreamsService.create(
            NAME,
            WebhooksTopology.build(
                serdes,
                directory,
                writer::writeLater,
                worker,
                settings,
                metrics,
                new SecureRandom(),
                clock),
            config,
            Map.of());
  }

  public static Webhooks create(AppConfig config) {
    return new Webhooks(config);
  }

  /** Private addresses and plain http only where the local demo asks for them, explicitly. */
  static AddressGuard guard(AppConfig config) {
    if (Boolean.parseBoolean(config.get(ALLOW_PRIVATE, "false"))) {
      log.warn(
          "{}={}: webhooks may be posted to loopback and private addresses", ALLOW_PRIVATE, true);
      return AddressGuard.localDemo();
    }
    return AddressGuard.strict();
  }

  public StreamsService streams() {
    return streams;
  }

  public EndpointDirectory endpoints() {
    return directory;
  }

  public WebhookMetrics metrics() {
    return metrics;
  }

  /**
   * Starts the followers and, once every endpoint that existed is read, the Streams app; returns
   * once it runs. The topology must not start first: it would take a queue whose endpoint it does
   * not know yet for a deleted endpoint's, and an event for an endpoint it has not read for one
   * with no endpoint.
   */
  @Override
  public void start(Duration timeout) {
    platforms.start();
    follower.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!follower.caughtUp()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            Topics.WEBHOOK_ENDPOINTS.name() + " not read within " + timeout);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading the endpoints", e);
      }
    }
    streams.start(timeout);
  }

  @Override
  public void close() {
    streams.close();
    worker.close();
    writer.close();
    follower.close();
    platforms.close();
  }

  @Override
  public void mount(HttpService http, HealthEndpoint health, MetricsEndpoint metrics) {
    new WebhooksApi(
            platforms.directory(),
            directory,
            writer,
            guard,
            worker,
            new UndeliveredEvents(streams::streams),
            Clock.systemUTC())
        .mount(http);
    ServiceMain.register(NAME, streams, health, metrics);
    health.register(NAME + ".delivery-worker", worker::health);
    health.register(NAME + ".endpoint-follower", follower::health);
    health.register(NAME + ".platform-follower", platforms::health);
    health.registerReadiness(NAME + ".endpoints", follower::caughtUp);
    health.registerReadiness(NAME + ".platforms", platforms::ready);
    metrics.registerCounter(NAME, "webhook_deliveries_total", worker::deliveredCount);
    metrics.registerCounter(NAME, "webhook_delivery_failures_total", worker::failedCount);
    metrics.registerCounter(NAME, "webhook_gave_up_total", this.metrics::gaveUp);
    metrics.registerGauge(NAME, "webhook_queue_depth", this.metrics::queueDepth);
    metrics.registerGauge(NAME, "webhook_requests_in_flight", worker::activeRequests);
  }

  public static void main(String[] args) {
    ServiceMain.run(NAME, SECRETS, Webhooks::create, Duration.ofSeconds(60));
  }
}
