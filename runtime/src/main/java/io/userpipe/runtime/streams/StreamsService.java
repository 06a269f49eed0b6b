package io.userpipe.runtime.streams;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.TransientSerdeException;
import io.userpipe.schemas.TopicSpec;
import io.userpipe.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lifecycle of every Kafka Streams service: exactly-once v2 always, dead-letter handlers
 * for poison records ({@link DeadLetterHandlers}), start and wait until RUNNING, health, and a
 * clean close. Local state is never wiped on a normal start: a restart resumes from its stores and
 * changelogs.
 */
public final class StreamsService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamsService.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How soon a service reading platforms' topics by pattern starts reading a platform added while
   * it runs: its main consumer's metadata age (a metadata request that often; a rebalance when a
   * topic appears).
   */
  public static final Duration PLATFORM_TOPICS_SEEN_WITHIN = Duration.ofSeconds(10);

  /** Shape of a dead-letter topic the catalogue does not declare; the same as the catalogue's. */
  private static final int DLQ_PARTITIONS = 1;

  private static final Duration DLQ_RETENTION = Duration.ofDays(30);

  private final String name;
  private final String applicationId;
  private final Topology topology;
  private final java.util.concurrent.atomic.AtomicInteger threadDeaths =
      new java.util.concurrent.atomic.AtomicInteger();
  private final AppConfig config;
  private final KafkaStreams streams;
  private final CountDownLatch settled = new CountDownLatch(1);

  private StreamsService(
      String name, String applicationId, Topology topology, AppConfig config, Properties props) {
    this.name = name;
    this.applicationId = applicationId;
    this.topology = topology;
    this.config = config;
    this.streams = new KafkaStreams(topology, props);
  }

  /**
   * A service named {@code serviceName} (application id {@code APP_ID_PREFIX + serviceName}, state
   * under {@code STATE_DIR/serviceName}) running {@code topology}; {@code overrides} are Streams
   * configs applied last, except that {@code processing.guarantee} cannot be weakened.
   *
   * @throws IllegalArgumentException if the overrides ask for anything but exactly_once_v2
   */
  public static StreamsService create(
      String serviceName, Topology topology, AppConfig config, Map<String, Object> overrides) {
    Properties props = properties(serviceName, config, overrides);
    var service =
        new StreamsService(
            serviceName,
            props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
            topology,
            config,
            props);
    service.streams.setStateListener(service::onStateChange);
    // A bug that escapes the handlers (they catch what one record causes) kills one stream thread.
    // SHUTDOWN_CLIENT would leave a live process that does nothing, and nobody might notice;
    // REPLACE_THREAD lets a fresh thread take the tasks over from their last committed transaction,
    // so nothing is lost or doubled. The price: an error that recurs on every attempt (a broker
    // refusing writes) loops, logging each time, until someone fixes its cause.
    //
    // A transient fault (the schema registry down: DeadLetterHandlers fail the task rather than
    // dead-letter a good record) recurs until the registry is back, so the replacement waits
    // first, longer each time (ReplaceBackoff), instead of spinning threads hot.
    var backoff = new ReplaceBackoff();
    service.streams.setUncaughtExceptionHandler(
        e -> {
          service.threadDeaths.incrementAndGet();
          if (!TransientSerdeException.isTransient(e)) {
            log.error("{}: stream thread died; replacing it", serviceName, e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
          }
          ReplaceBackoff.Pause pause = backoff.onFailure();
          log.warn(
              "{}: stream thread stopped on a transient fault (attempt {}); replacing it in {} s"
                  + " to retry from the last commit: {}",
              serviceName,
              pause.attempt(),
              pause.duration().toSeconds(),
              rootCause(e).toString());
          try {
            Thread.sleep(pause.duration().toMillis());
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
          }
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    return service;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  static Properties properties(
      String serviceName, AppConfig config, Map<String, Object> overrides) {
    Map<String, Object> p = new HashMap<>(TopicCreator.commonClientProps(config));
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.appIdPrefix() + serviceName);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().resolve(serviceName).toString());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.numStreamThreads());
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.numStandbyReplicas());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.topicReplicationFactor());
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
    p.put(BoundedRocksDbMemory.TOTAL_BYTES, config.rocksDbMemoryBytes());
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandlers.OnDeserialization.class);
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandlers.OnProcessing.class);
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandlers.OnProduction.class);
    // a global store (e.g. the OFAC list) skips an entry its processor cannot handle instead of
    // stopping the whole client: the global thread cannot be replaced (the default before Kafka 5)
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    // a new service reads its inputs from the start, not from whatever arrives after it
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // a pattern source (platforms' own command topics) sees a new platform's topic this soon
    p.put(
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG),
        (int) PLATFORM_TOPICS_SEEN_WITHIN.toMillis());
    config.applicationServer().ifPresent(s -> p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, s));
    // Streams suffixes it with each stream thread's index
    config.groupInstanceId().ifPresent(id -> p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
    config.schemaRegistryUrl().ifPresent(url -> p.put("schema.registry.url", url));
    p.putAll(overrides);
    Object guarantee = p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
    if (!StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee)) {
      throw new IllegalArgumentException(
          serviceName
              + ": processing.guarantee must stay "
              + StreamsConfig.EXACTLY_ONCE_V2
              + ", not "
              + guarantee
              + " (one result per command, no event twice)");
    }
    var props = new Properties();
    props.putAll(p);
    return props;
  }

  private void onStateChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
    log.info("{}: {} -> {}", name, oldState, newState);
    if (newState == KafkaStreams.State.RUNNING || !newState.isRunningOrRebalancing()) {
      settled.countDown();
    }
  }

  /**
   * Creates the dead-letter topics of the topology's sources and the anchors of its pattern sources
   * when missing, then starts and blocks until RUNNING. Never wipes local state (no {@code
   * cleanUp()} on a normal start).
   *
   * @throws IllegalStateException on timeout, or if Streams goes to an error or shutdown state
   *     instead; the caller should then {@link #close()}
   */
  public void start(Duration timeout) {
    ensurePatternAnchors();
    ensureDeadLetterTopics();
    streams.start();
    try {
      if (!settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            name + " did not reach RUNNING within " + timeout + " (state " + state() + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + ": interrupted while starting", e);
    }
    if (!isHealthy()) {
      throw new IllegalStateException(
          name + " failed to start: state " + state() + " (see the log for the cause)");
    }
    log.info("{} running as {}", name, applicationId);
  }

  /**
   * A record that cannot be read is dead-lettered to {@code <source>.dlq}; if that topic is missing
   * the dead letter cannot be written and the task fails, so it has to exist before the first
   * poison record. The catalogue's shape is used where it declares the topic.
   */
  private void ensureDeadLetterTopics() {
    Set<String> dlqs =
        sourceTopics(topology, applicationId).stream()
            .map(Topics::deadLetterName)
            .collect(Collectors.toCollection(TreeSet::new));
    if (dlqs.isEmpty()) {
      return;
    }
    Map<String, TopicSpec<?, ?>> catalogue =
        Topics.all().stream().collect(Collectors.toMap(TopicSpec::name, Function.identity()));
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      Set<String> existing = admin.listTopics().names().get();
      List<TopicSpec<?, ?>> missing =
          dlqs.stream()
              .filter(dlq -> !existing.contains(dlq))
              .<TopicSpec<?, ?>>map(dlq -> catalogue.getOrDefault(dlq, deadLetterSpec(dlq)))
              .toList();
      TopicCreator.ensure(admin, missing, config.topicReplicationFactor());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + ": interrupted while listing topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          name + ": cannot list topics: " + e.getCause().getMessage(), e);
    }
  }

  /**
   * Creates, when missing, the anchor topics ({@link Topics#platformAnchors}) that the topology's
   * pattern sources match, so that each pattern matches a topic before its tasks are created: Kafka
   * Streams cannot give an existing task the first topic of a pattern that matched none.
   */
  private void ensurePatternAnchors() {
    var anchors =
        Topics.platformAnchors().stream()
            .filter(anchor -> patternSourcesMatch(topology, anchor.name()))
            .<TopicSpec<?, ?>>map(anchor -> anchor)
            .toList();
    if (anchors.isEmpty()) {
      return;
    }
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      TopicCreator.ensure(admin, anchors, config.topicReplicationFactor());
      // a topic just created may be missing from the broker's metadata for a moment; Streams'
      // first assignment must see it, or the task is made without it all the same
      awaitLeaders(admin, anchors.stream().map(TopicSpec::name).toList(), Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + ": interrupted while creating the anchors", e);
    }
  }

  /**
   * Waits until every partition of {@code topics} has a leader in the metadata the broker serves; a
   * topic this principal may not see (a cluster with ACLs, where operators created it) is left.
   */
  private void awaitLeaders(Admin admin, List<String> topics, Duration bound)
      throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      try {
        var described = admin.describeTopics(topics).allTopicNames().get();
        if (described.values().stream()
            .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null))) {
          return;
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicAuthorizationException) {
          return;
        }
        // UnknownTopicOrPartition while the metadata catches up: asked again below
      }
      if (System.nanoTime() > deadline) {
        log.warn(
            "{}: the anchors {} have no leader after {}; starting anyway", name, topics, bound);
        return;
      }
      Thread.sleep(100);
    }
  }

  static boolean patternSourcesMatch(Topology topology, String topic) {
    for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
      for (TopologyDescription.Node node : sub.nodes()) {
        if (node instanceof TopologyDescription.Source source
            && source.topicPattern() != null
            && source.topicPattern().matcher(topic).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  private TopicSpec<byte[], byte[]> deadLetterSpec(String dlq) {
    return new TopicSpec<>(
        dlq,
        byte[].class,
        byte[].class,
        DLQ_PARTITIONS,
        TopicSpec.Cleanup.DELETE,
        DLQ_RETENTION,
        name,
        "operators",
        "Unreadable records, bytes untouched; headers name the error.");
  }

  /**
   * The topics the topology reads, named as on the broker. Streams shows its internal repartition
   * topics without the application-id prefix they get on the broker; they are the ones ending in
   * {@code -repartition}. Pattern subscriptions and global stores are left out.
   */
  static Set<String> sourceTopics(Topology topology, String applicationId) {
    Set<String> topics = new TreeSet<>();
    for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
      for (TopologyDescription.Node node : sub.nodes()) {
        if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
          for (String topic : source.topicSet()) {
            topics.add(topic.endsWith("-repartition") ? applicationId + "-" + topic : topic);
          }
        }
      }
    }
    return topics;
  }

  /**
   * Deletes this instance's local state (its stores and checkpoints) before it starts: for a
   * rebuild, whose changelogs are gone, never for a normal start.
   */
  public void wipeLocalState() {
    streams.cleanUp();
  }

  /** How many stream threads died (and were replaced) since the start. */
  public int threadDeaths() {
    return threadDeaths.get();
  }

  public KafkaStreams streams() {
    return streams;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Serving or about to: RUNNING or REBALANCING. */
  public boolean isHealthy() {
    return streams.state().isRunningOrRebalancing();
  }

  /**
   * Serving now: the client RUNNING and every stream thread RUNNING too. A thread that has its
   * partitions but is still restoring them ({@code PARTITIONS_ASSIGNED}) answers queries with a
   * 503, so a client routed here would be refused: {@link #isHealthy()} (alive) is not ready.
   */
  public boolean isReady() {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return false;
    }
    for (var thread : streams.metadataForLocalThreads()) {
      if (!"RUNNING".equals(thread.threadState())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Closes and leaves the consumer group: a planned stop hands its tasks over at once, instead of
   * leaving them unserved until the session times out (45 s) as a crash does.
   */
  public void close(Duration timeout) {
    var options =
        CloseOptions.timeout(timeout)
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
    if (!streams.close(options)) {
      log.warn("{}: did not close within {}", name, timeout);
    }
  }

  @Override
  public void close() {
    close(CLOSE_TIMEOUT);
  }
}
