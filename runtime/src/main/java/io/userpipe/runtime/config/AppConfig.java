package io.userpipe.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration as environment variables, the one place every service reads it from. Immutable:
 * {@link #with} returns a copy, which is how the local launcher and tests fill in what they start.
 */
public final class AppConfig {

  public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
  public static final String SCHEMA_REGISTRY_URL = "SCHEMA_REGISTRY_URL";
  public static final String VALUE_SERDE_CLASS = "VALUE_SERDE_CLASS";
  public static final String STATE_DIR = "STATE_DIR";
  public static final String HTTP_HOST = "HTTP_HOST";
  public static final String HTTP_PORT = "HTTP_PORT";

  /**
   * Where a service's internal listener binds (projections' {@code /internal/...} views, which its
   * instances ask each other for): never the public port.
   */
  public static final String INTERNAL_HTTP_HOST = "INTERNAL_HTTP_HOST";

  public static final String INTERNAL_HTTP_PORT = "INTERNAL_HTTP_PORT";

  /**
   * How many HTTP requests do work at once (the others wait their turn):
   * io.userpipe.runtime.http.WorkGate.
   */
  public static final String HTTP_WORK_PLACES = "HTTP_WORK_PLACES";

  public static final String APPLICATION_SERVER = "APPLICATION_SERVER";
  public static final String TOPIC_REPLICATION_FACTOR = "TOPIC_REPLICATION_FACTOR";
  public static final String COMMIT_INTERVAL_MS = "COMMIT_INTERVAL_MS";
  public static final String NUM_STREAM_THREADS = "NUM_STREAM_THREADS";
  public static final String NUM_STANDBY_REPLICAS = "NUM_STANDBY_REPLICAS";
  public static final String APP_ID_PREFIX = "APP_ID_PREFIX";
  public static final String GROUP_INSTANCE_ID = "GROUP_INSTANCE_ID";
  public static final String ROCKSDB_MEMORY_MB = "ROCKSDB_MEMORY_MB";
  public static final String KAFKA_CLIENT_METRICS_PUSH = "KAFKA_CLIENT_METRICS_PUSH";

  private final Map<String, String> values;
  private final boolean localDemo;

  private AppConfig(Map<String, String> values, boolean localDemo) {
    this.values = Map.copyOf(values);
    this.localDemo = localDemo;
  }

  public static AppConfig fromEnv() {
    return new AppConfig(System.getenv(), false);
  }

  public static AppConfig of(Map<String, String> values) {
    return new AppConfig(values, false);
  }

  public AppConfig with(String key, String value) {
    var copy = new HashMap<>(values);
    copy.put(key, value);
    return new AppConfig(copy, localDemo);
  }

  /**
   * This configuration marked as the explicitly local demo's (io.userpipe.local.LocalDemo), the one
   * place that accepts the published demo secrets ({@link Secret}). A mark in code, never an
   * environment variable: no deployment can switch the demo on by configuration.
   */
  public AppConfig asLocalDemo() {
    return new AppConfig(values, true);
  }

  /** Whether this is the explicitly local demo's configuration ({@link #asLocalDemo}). */
  public boolean isLocalDemo() {
    return localDemo;
  }

  public Optional<String> find(String key) {
    String value = values.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public String get(String key, String dflt) {
    return find(key).orElse(dflt);
  }

  public String require(String key) {
    return find(key)
        .orElseThrow(
            () -> new IllegalStateException("environment variable " + key + " is not set"));
  }

  public int getInt(String key, int dflt) {
    return find(key).map(v -> parseInt(key, v)).orElse(dflt);
  }

  /** ISO-8601 ({@code PT5S}) or plain milliseconds. */
  public Duration getDuration(String key, Duration dflt) {
    return find(key).map(v -> parseDuration(key, v)).orElse(dflt);
  }

  public Map<String, String> asMap() {
    return values;
  }

  /** Where the Kafka cluster is; required. */
  public String bootstrapServers() {
    return require(KAFKA_BOOTSTRAP_SERVERS);
  }

  /** The registry's base URL, when the service uses one. */
  public Optional<String> schemaRegistryUrl() {
    return find(SCHEMA_REGISTRY_URL);
  }

  /** The parent of each Streams service's state directory (one sub-directory per service). */
  public Path stateDir() {
    return Path.of(get(STATE_DIR, "var/state"));
  }

  /** Loopback unless told otherwise: nothing should listen on a public interface by accident. */
  public String httpHost() {
    return get(HTTP_HOST, "127.0.0.1");
  }

  /** The HTTP port; 0 asks the OS for a free one (tests). */
  public int httpPort() {
    return getInt(HTTP_PORT, 8080);
  }

  /** Loopback unless told otherwise: the internal listener is for this service's own instances. */
  public String internalHttpHost() {
    return get(INTERNAL_HTTP_HOST, "127.0.0.1");
  }

  /** The internal listener's port, 8090 by default; 0 asks the OS for a free one (tests, demo). */
  public int internalHttpPort() {
    return getInt(INTERNAL_HTTP_PORT, 8090);
  }

  /**
   * {@code host:port} other instances use to reach this one's interactive queries: its internal
   * listener ({@link #INTERNAL_HTTP_PORT}), never the public port.
   */
  public Optional<String> applicationServer() {
    return find(APPLICATION_SERVER);
  }

  /**
   * This instance's stable name in its consumer groups (static membership): an instance restarted
   * under the same name takes its partitions back at once, instead of after the session timeout.
   * Unique per instance of a service; unset, membership is dynamic.
   */
  public Optional<String> groupInstanceId() {
    return find(GROUP_INSTANCE_ID);
  }

  /** Replication factor of created topics; -1 means the broker's default. */
  public int topicReplicationFactor() {
    return getInt(TOPIC_REPLICATION_FACTOR, -1);
  }

  /**
   * How often Streams commits its transaction: the latency of every exactly-once output, since
   * read_committed consumers see nothing before the commit. 50 ms by default: a user is queryable
   * after two hops, and at 1,000 new users per second the local stack kept a p99 under 250 ms with
   * 50 ms and not with 100 ms (docs/BENCHMARKS.md); each commit costs a few milliseconds and a
   * transaction marker per partition written.
   */
  public int commitIntervalMs() {
    return getInt(COMMIT_INTERVAL_MS, 50);
  }

  public int numStreamThreads() {
    return getInt(NUM_STREAM_THREADS, 1);
  }

  public int numStandbyReplicas() {
    return getInt(NUM_STANDBY_REPLICAS, 0);
  }

  /**
   * Off-heap memory, in MiB, that all the RocksDB stores of this JVM share: one block cache with
   * the memtables charged to it (services started in one JVM share one budget).
   */
  public long rocksDbMemoryBytes() {
    int mb = getInt(ROCKSDB_MEMORY_MB, 128);
    if (mb < 8) {
      throw new IllegalStateException(ROCKSDB_MEMORY_MB + " must be at least 8, got " + mb);
    }
    return (long) mb << 20;
  }

  /**
   * Whether every Kafka client keeps its metrics for pushing to brokers that ask for them (KIP-714,
   * {@code enable.metrics.push}); off unless {@code true}. Kafka's clients default it on, and each
   * then keeps a second ledger of all its metrics whether a broker ever asks or not: 18 MB of the
   * local stack's live heap under load (docs/BENCHMARKS.md, "What held the live heap"). {@code
   * /metrics} serves the same metrics; a cluster with a client-telemetry plugin on its brokers
   * turns this on.
   */
  public boolean clientMetricsPush() {
    String v = get(KAFKA_CLIENT_METRICS_PUSH, "false");
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalStateException(
          KAFKA_CLIENT_METRICS_PUSH + " must be true or false, got '" + v + "'");
    }
    return v.equals("true");
  }

  /** Prefix of every application id and consumer group, so environments can share a cluster. */
  public String appIdPrefix() {
    return get(APP_ID_PREFIX, "userpipe-");
  }

  private static int parseInt(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(key + " must be a whole number, got '" + value + "'", e);
    }
  }

  private static Duration parseDuration(String key, String value) {
    if (value.matches("[0-9]+")) {
      return Duration.ofMillis(Long.parseLong(value));
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalStateException(
          key + " must be an ISO-8601 duration (PT5S) or milliseconds, got '" + value + "'", e);
    }
  }
}
