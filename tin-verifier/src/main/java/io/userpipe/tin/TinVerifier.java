package io.userpipe.tin;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.http.HealthEndpoint;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.MetricsEndpoint;
import io.userpipe.runtime.retention.RetentionKeyFollower;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.service.ServiceMain;
import io.userpipe.runtime.streams.StreamsService;
import io.userpipe.tin.domain.RetryPolicy;
import io.userpipe.tin.provider.BulkTinProvider;
import io.userpipe.tin.provider.ReferenceTinProvider;
import io.userpipe.tin.provider.TinMatchingProvider;
import io.userpipe.tin.topology.TinVerifierTopology;
import io.userpipe.tin.worker.TinCheckWorker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * tin-verifier: the Streams app that owns TIN verification state, and the worker that asks the
 * provider. Configuration beyond the common keys: {@code DATA_KEYS}; {@code TIN_PROVIDER} ({@code
 * reference}, the default, or {@code irs-bulk} with {@code TIN_BULK_OUTBOX} and {@code
 * TIN_BULK_INBOX} directories); the reference provider's {@code TIN_REFERENCE_FILE}, {@code
 * TIN_PROVIDER_LATENCY}, {@code TIN_PROVIDER_SLOW_FRACTION}, {@code TIN_PROVIDER_SLOW_LATENCY};
 * {@code TIN_PROVIDER_TIMEOUT} (PT10S), {@code TIN_REQUEST_TIMEOUT} (PT30S, when to ask again after
 * silence), {@code TIN_WORKER_THREADS} (4); {@code DECISION_RETENTION} (P5Y), how long the subjects
 * of its decisions stay readable.
 */
public final class TinVerifier implements ServiceMain.Service {

  public static final String NAME = "tin-verifier";

  /** The secrets it needs: it refuses to start without them, or with published ones. */
  public static final List<Secret> SECRETS = List.of(Secret.DATA_KEYS);

  private final StreamsService streams;
  private final TinCheckWorker worker;
  private final RetentionKeyFollower retention;

  private TinVerifier(
      StreamsService streams, TinCheckWorker worker, RetentionKeyFollower retention) {
    this.streams = streams;
    this.worker = worker;
    this.retention = retention;
  }

  public static TinVerifier create(AppConfig config) {
    Secret.check(config, SECRETS);
    var serdes = AvroSerdes.from(config);
    var dataKeys = DataKeys.from(config);
    var d = RetryPolicy.DEFAULT;
    var retries =
        new RetryPolicy(
            config.getDuration("TIN_REQUEST_TIMEOUT", d.requestTimeout()),
            d.firstBackoff(),
            d.maxBackoff());
    var retention =
        new RetentionKeyFollower(config, serdes, NAME + "-retention-keys", Clock.systemUTC());
    var streams =
        StreamsService.create(
            NAME,
            TinVerifierTopology.build(
                serdes, dataKeys, retention.keys(), retries, Clock.systemUTC()),
            config,
            Map.of());
    var worker =
        new TinCheckWorker(
            config,
            serdes,
            dataKeys,
            provider(config),
            config.getDuration("TIN_PROVIDER_TIMEOUT", Duration.ofSeconds(10)),
            config.getInt("TIN_WORKER_THREADS", 4));
    return new TinVerifier(streams, worker, retention);
  }

  static TinMatchingProvider provider(AppConfig config) {
    String kind = config.get("TIN_PROVIDER", "reference");
    if (kind.equals("reference")) {
      return ReferenceTinProvider.fromConfig(config.asMap(), Clock.systemUTC());
    }
    if (kind.equals("irs-bulk")) {
      return new BulkTinProvider(
          Path.of(config.require("TIN_BULK_OUTBOX")),
          Path.of(config.require("TIN_BULK_INBOX")),
          Clock.systemUTC());
    }
    throw new IllegalStateException("TIN_PROVIDER must be reference or irs-bulk, got " + kind);
  }

  public StreamsService streams() {
    return streams;
  }

  /** The TIN worker's loop: "UP", or "DOWN: why". */
  public String workerHealth() {
    return worker.health();
  }

  public void start(Duration timeout) {
    retention.start();
    streams.start(timeout);
    worker.start();
  }

  @Override
  public void close() {
    worker.close();
    streams.close();
    retention.close();
  }

  @Override
  public void mount(HttpService http, HealthEndpoint health, MetricsEndpoint metrics) {
    ServiceMain.register(NAME, streams(), health, metrics);
    health.register(NAME + ".tin-worker", this::workerHealth);
    health.register(NAME + ".retention-keys", retention::health);
  }

  public static void main(String[] args) {
    ServiceMain.run(NAME, SECRETS, TinVerifier::create, Duration.ofSeconds(60));
  }
}
