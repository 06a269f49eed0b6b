package io.userpipe.ofac;

import io.userpipe.ofac.http.OfacApi;
import io.userpipe.ofac.list.FetchStatus;
import io.userpipe.ofac.list.ListFetcher;
import io.userpipe.ofac.list.ListFiles;
import io.userpipe.ofac.list.ListFollower;
import io.userpipe.ofac.list.ListFreshness;
import io.userpipe.ofac.list.ListPublisher;
import io.userpipe.ofac.list.MalformedListException;
import io.userpipe.ofac.match.ScreeningThresholds;
import io.userpipe.ofac.topology.OfacScreenerTopology;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.http.HealthEndpoint;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.MetricsEndpoint;
import io.userpipe.runtime.http.RateLimiter;
import io.userpipe.runtime.operators.OperatorAuth;
import io.userpipe.runtime.operators.OperatorFollower;
import io.userpipe.runtime.platforms.PlatformFollower;
import io.userpipe.runtime.retention.RetentionKeyFollower;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.service.ServiceMain;
import io.userpipe.runtime.streams.StreamsService;
import io.userpipe.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ofac-screener: follows the SDN list versions on {@code ofac.lists} (publishing the shipped
 * 2023-12-28 list when a cluster has none), and runs the Streams app that owns users' OFAC status.
 * Configuration beyond the common keys: {@code DATA_KEYS}; {@code OFAC_MATCH_THRESHOLD} (0.85);
 * {@code OFAC_RESCREEN_BATCH} (users per timer tick, 500); {@code OFAC_SEARCHES_PER_SECOND} and
 * {@code OFAC_SEARCH_BURST}, each platform's share of the search (20 and 40); {@code
 * DECISION_RETENTION} (P5Y), how long the subjects of its decisions stay readable; {@code
 * OFAC_LIST_SOURCE} (unset: no scheduled fetch), {@code OFAC_LIST_FETCH_EVERY} (PT6H) and {@code
 * OFAC_LIST_MAX_AGE} (P8D), how the list is kept fresh ({@link ListFetcher}). The list-loading
 * endpoint takes an operator's credential ({@code bin/operators}), followed from the {@code
 * operators} topic.
 */
public final class OfacScreener implements ServiceMain.Service {
  public static final String NAME = "ofac-screener";
  public static final String OFAC_MATCH_THRESHOLD = "OFAC_MATCH_THRESHOLD";

  /** The secrets it needs: it refuses to start without them, or with published ones. */
  public static final List<Secret> SECRETS = List.of(Secret.DATA_KEYS, Secret.PLATFORMS);

  private static final Logger log = LoggerFactory.getLogger(OfacScreener.class);

  private final AppConfig config;
  private final AvroSerdes serdes;
  private final ListFollower follower;
  private final StreamsService streams;
  private final ListPublisher publisher;
  private final OperatorFollower operators;
  private final RetentionKeyFollower retention;
  private final double threshold;
  private final PlatformFollower platforms;
  private final Optional<ListFetcher> fetcher;
  private final Duration listMaxAge;
  private final Clock clock = Clock.systemUTC();

  private OfacScreener(AppConfig config) {
    Secret.check(config, SECRETS);
    this.config = config;
    this.serdes = AvroSerdes.from(config);
    this.platforms = new PlatformFollower(config, serdes, NAME + "-platforms");
    this.follower = new ListFollower(config, serdes);
    this.publisher = new ListPublisher(config, serdes, follower::offer);
    this.fetcher = ListFetcher.from(config, publisher, follower, clock);
    this.listMaxAge =
        config.getDuration(ListFreshness.OFAC_LIST_MAX_AGE, ListFreshness.DEFAULT_MAX_AGE);
    this.operators = new OperatorFollower(config, serdes, NAME + "-operators");
    this.retention =
        new RetentionKeyFollower(config, serdes, NAME + "-retention-keys", Clock.systemUTC());
    this.threshold =
        Double.parseDouble(
            config.get(OFAC_MATCH_THRESHOLD, Double.toString(ScreeningThresholds.DEFAULT_MATCH)));
    this.streams =
        StreamsService.create(
            NAME,
            OfacScreenerTopology.build(
                serdes,
                DataKeys.from(config),
                retention.keys(),
                follower,
                threshold,
                config.getInt("OFAC_RESCREEN_BATCH", 500),
                clock),
            config,
            Map.of());
  }

  public static OfacScreener create(AppConfig config) {
    return new OfacScreener(config);
  }

  public StreamsService streams() {
    return streams;
  }

  /** Screening now: a list index in force and every stream thread running. */
  public boolean isReady() {
    return follower.get() != null && streams.isReady();
  }

  /**
   * Starts the list follower and the Streams app, and returns once both run: a list in force and
   * the app's tasks assigned. The app joins its group while the list loads (publishing the shipped
   * list first when the cluster has none); a user event that arrives before the index is parked and
   * screened as soon as it is built.
   */
  public void start(Duration timeout) {
    follower.start();
    operators.start();
    platforms.start();
    retention.start();
    var listInForce = CompletableFuture.runAsync(() -> publishShippedListIfNone(timeout));
    streams.start(timeout);
    try {
      listInForce.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!follower.awaitIndex(timeout)) {
        throw new IllegalStateException("no OFAC list index within " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading the OFAC list", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot publish the shipped OFAC list", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the shipped OFAC list was not published within " + timeout);
    }
    // once a list is in force, so that the first fetch compares with it instead of publishing blind
    fetcher.ifPresent(ListFetcher::start);
  }

  /**
   * Publishes the shipped list on a cluster that has none. Reading whether it has one needs the
   * schema registry; while that is down the probe is retried (within the start timeout) rather than
   * failing the start: the other services start during a registry outage, and so must this one.
   */
  private void publishShippedListIfNone(Duration timeout) {
    try {
      if (ListFollower.hasCurrentVersion(config, serdes, timeout)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while looking for an OFAC list version", e);
    }
    try {
      log.info("No OFAC list version on {}: publishing the shipped list", Topics.OFAC_LISTS.name());
      publisher.publish(ListFiles.shipped(), "2023-12-28 (shipped)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (MalformedListException e) {
      throw new IllegalStateException("the shipped list does not parse: " + e.getMessage(), e);
    }
  }

  /** How fresh the list in force is now: what health and metrics show. */
  public ListFreshness freshness() {
    return new ListFreshness(
        follower.inForce(),
        fetcher.map(ListFetcher::location),
        fetcher.map(ListFetcher::status).orElse(FetchStatus.none()),
        listMaxAge,
        clock.instant());
  }

  /** The OFAC list follower's loop: "UP", or "DOWN: why". */
  public String followerHealth() {
    return follower.health();
  }

  @Override
  public void close() {
    fetcher.ifPresent(ListFetcher::close);
    streams.close();
    follower.close();
    operators.close();
    platforms.close();
    retention.close();
  }

  /** Mounts the search and list-loading endpoints, health, readiness and metrics. */
  @Override
  public void mount(HttpService http, HealthEndpoint health, MetricsEndpoint metrics) {
    new OfacApi(
            follower,
            publisher,
            new OperatorAuth(operators),
            platforms.directory(),
            threshold,
            new RateLimiter(
                config.getInt(OfacApi.OFAC_SEARCHES_PER_SECOND, OfacApi.SEARCHES_PER_SECOND),
                config.getInt(OfacApi.OFAC_SEARCH_BURST, OfacApi.SEARCH_BURST)))
        .mount(http);
    health.register(NAME, () -> streams.isHealthy() ? "UP" : streams.state().name());
    health.register(NAME + ".list-follower", this::followerHealth);
    health.register(NAME + ".operator-follower", operators::health);
    health.register(NAME + ".platform-follower", platforms::health);
    health.register(NAME + ".retention-keys", retention::health);
    health.registerReadiness(NAME, this::isReady);
    health.registerReadiness(NAME + ".operators", operators::caughtUp);
    health.registerReadiness(NAME + ".platforms", platforms::ready);
    metrics.register(NAME, () -> streams.streams().metrics());
    mountFreshness(health, metrics);
  }

  /**
   * The list's age and the last fetch in health's details, a stale list as a warning there (never a
   * failed check: screening with an old list beats not screening), and the same as metrics.
   */
  private void mountFreshness(HealthEndpoint health, MetricsEndpoint metrics) {
    health.registerDetails(NAME + ".list", () -> freshness().details());
    metrics.registerGauge(NAME, "ofac_list_age_seconds", () -> seconds(freshness().age()));
    metrics.registerGauge(
        NAME, "ofac_list_confirmed_age_seconds", () -> seconds(freshness().confirmedAge()));
    metrics.registerGauge(NAME, "ofac_list_stale", () -> freshness().stale() ? 1 : 0);
    metrics.registerGauge(
        NAME,
        "ofac_list_last_fetch_success_timestamp_seconds",
        () ->
            freshness()
                .fetches()
                .lastSuccess()
                .map(t -> (double) t.getEpochSecond())
                .orElse(Double.NaN));
    metrics.registerCounter(
        NAME, "ofac_list_fetch_failures_total", () -> freshness().fetches().failures());
  }

  private static double seconds(Optional<Duration> d) {
    return d.map(x -> (double) x.toSeconds()).orElse(Double.NaN);
  }

  public static void main(String[] args) {
    ServiceMain.run(NAME, SECRETS, OfacScreener::create, Duration.ofSeconds(120));
  }
}
