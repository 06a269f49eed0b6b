package io.userpipe.projections;

import io.userpipe.projections.console.ReviewConsole;
import io.userpipe.projections.http.CommandGateway;
import io.userpipe.projections.http.ComplianceHistoryApi;
import io.userpipe.projections.http.ErasureApi;
import io.userpipe.projections.http.InternalViewsApi;
import io.userpipe.projections.http.OfacReviewApi;
import io.userpipe.projections.http.PlatformApi;
import io.userpipe.projections.http.RemoteViews;
import io.userpipe.projections.http.ReviewQueueApi;
import io.userpipe.projections.http.UserReader;
import io.userpipe.projections.http.ViewQueries;
import io.userpipe.projections.http.ViewWaits;
import io.userpipe.projections.rebuild.LocalStateMarker;
import io.userpipe.projections.rebuild.ReplayBoundary;
import io.userpipe.projections.rebuild.ReplayGate;
import io.userpipe.projections.rebuild.ReplayMarksTopic;
import io.userpipe.projections.rebuild.ReplayProgress;
import io.userpipe.projections.topology.ProjectionsTopology;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.http.HealthEndpoint;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.MetricsEndpoint;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.operators.OperatorAuth;
import io.userpipe.runtime.operators.OperatorFollower;
import io.userpipe.runtime.platforms.PlatformFollower;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.service.ServiceMain;
import io.userpipe.runtime.streams.StreamsService;
import io.userpipe.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * projections: the views, and the public HTTP API in front of the whole pipeline (the one base URL
 * a client needs). Configuration: {@code PLATFORMS} (see {@link PlatformDirectory}), {@code
 * HTTP_WAIT} (how long a write waits for its result, default PT5S), {@code EDGE_KEYS} (to seal the
 * secrets in commands: codes, TINs, account numbers), {@code DATA_KEYS} (to open personal data in
 * the views for a client that reads it), {@code INTERNAL_TOKEN} and the internal listener ({@code
 * INTERNAL_HTTP_HOST}, {@code INTERNAL_HTTP_PORT}) on which its instances ask each other for the
 * views they host, and the common keys.
 */
public final class Projections implements ServiceMain.Service {

  public static final String NAME = "projections";
  public static final String PLATFORMS = PlatformDirectory.PLATFORMS;
  public static final String HTTP_WAIT = "HTTP_WAIT";

  /** The secrets it needs: it refuses to start without them, or with published ones. */
  public static final List<Secret> SECRETS =
      List.of(Secret.DATA_KEYS, Secret.EDGE_KEYS, Secret.PLATFORMS, Secret.INTERNAL_TOKEN);

  /**
   * How long a create answer waits for the user's first OFAC verdict (Dots screens at creation).
   */
  public static final String OFAC_FIRST_VERDICT_WAIT = "OFAC_FIRST_VERDICT_WAIT";

  private static final Logger log = LoggerFactory.getLogger(Projections.class);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  private static final Duration GATE_EVERY = Duration.ofMillis(500);

  private final StreamsService streams;
  private final AppConfig config;
  private final ReplayBoundary replay;
  private final ReplayGate gate;
  private Thread replayReporter;
  private final CommandGateway gateway;
  private final PlatformApi api;
  private final OperatorFollower operators;
  private final PlatformFollower platforms;
  private final OfacReviewApi reviews;
  private final ReviewQueueApi reviewQueue;
  private final ErasureApi erasure;
  private final ComplianceHistoryApi history;
  private final ReviewConsole console;
  private final HttpService internalHttp;
  private final ViewQueries views;

  private Projections(
      StreamsService streams,
      AppConfig config,
      ReplayBoundary replay,
      ReplayGate gate,
      CommandGateway gateway,
      PlatformApi api,
      OperatorFollower operators,
      PlatformFollower platforms,
      OfacReviewApi reviews,
      ReviewQueueApi reviewQueue,
      ErasureApi erasure,
      ComplianceHistoryApi history,
      ReviewConsole console,
      HttpService internalHttp,
      ViewQueries views) {
    this.streams = streams;
    this.views = views;
    this.config = config;
    this.replay = replay;
    this.gate = gate;
    this.gateway = gateway;
    this.api = api;
    this.operators = operators;
    this.platforms = platforms;
    this.reviews = reviews;
    this.reviewQueue = reviewQueue;
    this.erasure = erasure;
    this.history = history;
    this.console = console;
    this.internalHttp = internalHttp;
  }

  public static Projections create(AppConfig config) {
    Secret.check(config, SECRETS);
    // The internal listener first: its address is the application.server that interactive queries
    // route by, which the Streams app is created with.
    var internalHttp = HttpService.internal(config);
    internalHttp.start();
    try {
      AppConfig routed =
          config.applicationServer().isPresent()
              ? config
              : config.with(
                  AppConfig.APPLICATION_SERVER,
                  advertised(config.internalHttpHost()) + ":" + internalHttp.port());
      return assemble(routed, internalHttp);
    } catch (RuntimeException e) {
      internalHttp.close();
      throw e;
    }
  }

  /** A wildcard bind address is no address to reach: other instances on this host use localhost. */
  private static String advertised(String bindHost) {
    return bindHost.equals("0.0.0.0") || bindHost.equals("::") ? "localhost" : bindHost;
  }

  private static Projections assemble(AppConfig config, HttpService internalHttp) {
    var serdes = AvroSerdes.from(config);
    String applicationId = config.appIdPrefix() + NAME;
    ReplayBoundary replay = new ReplayMarksTopic(config, serdes).latest(applicationId);
    // The folds need no order between their inputs (a verification or an OFAC status folded
    // before its user is held until the user comes, as a replay needs anyway), so a task need not
    // wait for an empty input to be fetched. Streams' check for that formatted a message for every
    // empty input on every record (a tenth of this thread in a profile: tin.verifications is
    // mostly empty).
    // the folds wake the HTTP door's awaited answers (ViewWaits): nothing polls the stores
    var waits = new ViewWaits();
    var streams =
        StreamsService.create(
            NAME,
            ProjectionsTopology.build(serdes, replay, waits),
            config,
            Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
    if (!replay.isNone()) {
      var marker = new LocalStateMarker(config.stateDir().resolve(NAME));
      if (!marker.isFor(replay.rebuildId())) {
        log.info(
            "rebuild {}: wiping local state; the views are replayed from the event log ({} records"
                + " before the marks)",
            replay.rebuildId(),
            replay.recordsToReplay());
        streams.wipeLocalState();
        marker.record(replay.rebuildId());
      }
    }
    var dataKeys = DataKeys.from(config);
    var remote = RemoteViews.from(config);
    HostInfo self = config.applicationServer().map(HostInfo::buildFromEndpoint).orElse(null);
    var gate = ReplayGate.forReplay(replay);
    var views = new ViewQueries(streams.streams(), self, remote, gate);
    new InternalViewsApi(views, remote).mount(internalHttp);
    internalHttp.routesComplete();
    var reader = new UserReader(views, dataKeys);
    var gateway =
        new CommandGateway(
            commandProducer(config, serdes),
            operatorProducer(config, serdes),
            views,
            reader,
            waits,
            config.getDuration(HTTP_WAIT, Duration.ofSeconds(5)));
    var platforms = new PlatformFollower(config, serdes, NAME + "-platforms");
    var api =
        new PlatformApi(
            platforms.directory(),
            gateway,
            views,
            reader,
            new CommandSecrets(DataKeys.edgeFrom(config)),
            config.getDuration(OFAC_FIRST_VERDICT_WAIT, Duration.ofSeconds(3)),
            Clock.systemUTC());
    var operators = new OperatorFollower(config, serdes, NAME + "-operators");
    var operatorAuth = new OperatorAuth(operators);
    return new Projections(
        streams,
        config,
        replay,
        gate,
        gateway,
        api,
        operators,
        platforms,
        new OfacReviewApi(
            operatorAuth,
            gateway,
            config.getDuration(OFAC_FIRST_VERDICT_WAIT, Duration.ofSeconds(3)),
            Clock.systemUTC()),
        new ReviewQueueApi(views, operatorAuth),
        new ErasureApi(gateway, operatorAuth, Clock.systemUTC()),
        new ComplianceHistoryApi(platforms.directory(), views, reader),
        ReviewConsole.from(config, views, reader, gateway, operatorAuth, Clock.systemUTC()),
        internalHttp,
        views);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static KafkaProducer<String, SpecificRecord> commandProducer(
      AppConfig config, AvroSerdes serdes) {
    Map<String, Object> props =
        new HashMap<>(ClientProps.durableWriter(config, "projections-http-edge"));
    // 5 ms, the client's own default since Kafka 4.0: at 1 ms nearly every create went to the
    // broker
    // as a request of its own (issue 23)
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // A request never blocks longer than its wait on metadata or a full buffer: it answers 503.
    props.put(
        ProducerConfig.MAX_BLOCK_MS_CONFIG,
        config.getDuration(HTTP_WAIT, Duration.ofSeconds(5)).toMillis());
    return new KafkaProducer<>(
        props,
        serdes.keySerde(Topics.USER_COMMANDS).serializer(),
        // One serializer for both command topics: it registers each topic's own schema.
        (Serializer) serdes.valueSerde(Topics.USER_COMMANDS).serializer());
  }

  /**
   * The producer of operators' review decisions, apart from the platforms' command producer: the
   * only writer of {@code ofac.reviews}, under a client id (and, once the broker has ACLs, a
   * principal) of its own (docs/SECURITY.md, "Operators and reviewers").
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static KafkaProducer<String, SpecificRecord> operatorProducer(
      AppConfig config, AvroSerdes serdes) {
    Map<String, Object> props =
        new HashMap<>(ClientProps.durableWriter(config, "projections-operator-console"));
    props.put(
        ProducerConfig.MAX_BLOCK_MS_CONFIG,
        config.getDuration(HTTP_WAIT, Duration.ofSeconds(5)).toMillis());
    return new KafkaProducer<>(
        props,
        serdes.keySerde(Topics.OFAC_REVIEWS).serializer(),
        (Serializer) serdes.valueSerde(Topics.OFAC_REVIEWS).serializer());
  }

  /** Reads and writes are served here now: every thread running and its views queryable. */
  public boolean isReady() {
    return streams.isReady() && views.servesLocally();
  }

  /** The Streams app's metrics, for the metrics endpoint. */
  public java.util.Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric>
      metrics() {
    return streams.streams().metrics();
  }

  public void start(Duration timeout) {
    operators.start();
    platforms.start();
    streams.start(timeout);
    reportReplayProgress();
  }

  /** While a rebuild's replay runs, its progress goes to the log every few seconds. */
  private void reportReplayProgress() {
    if (replay.isNone()) {
      return;
    }
    String group = config.appIdPrefix() + NAME;
    replayReporter =
        new Thread(
            () -> {
              try (var progress = new ReplayProgress(config, group, replay)) {
                progress.follow(GATE_EVERY, PROGRESS_EVERY, Duration.ofDays(365), gate, log::info);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "replay-progress");
    replayReporter.setDaemon(true);
    replayReporter.start();
  }

  @Override
  public void close() {
    if (replayReporter != null) {
      replayReporter.interrupt();
    }
    gateway.close();
    operators.close();
    platforms.close();
    streams.close();
    internalHttp.close();
  }

  /** The internal listener's base URL (tests). */
  public String internalBaseUrl() {
    return internalHttp.baseUrl();
  }

  @Override
  /**
   * Mounts the public API, and this service's health, readiness and metrics; the internal views are
   * on the internal listener, not here.
   */
  public void mount(HttpService http, HealthEndpoint health, MetricsEndpoint metrics) {
    api.mount(http);
    reviews.mount(http);
    reviewQueue.mount(http);
    erasure.mount(http);
    history.mount(http);
    console.mount(http);
    health.register(NAME, () -> streams.isHealthy() ? "UP" : streams.state().name());
    health.register(NAME + ".operator-follower", operators::health);
    health.register(NAME + ".platform-follower", platforms::health);
    health.registerReadiness(NAME, this::isReady);
    health.registerReadiness(NAME + ".operators", operators::caughtUp);
    health.registerReadiness(NAME + ".platforms", platforms::ready);
    metrics.register(NAME, this::metrics);
  }

  public static void main(String[] args) {
    ServiceMain.run(NAME, SECRETS, Projections::create, Duration.ofSeconds(60));
  }
}
