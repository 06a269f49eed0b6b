package io.userpipe.runtime.testing;

import io.userpipe.localstack.EmbeddedKafka;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.ClientSecurity;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.schemas.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One real Kafka broker per test JVM, started on first use and stopped when the JVM exits; or the
 * external cluster named by {@code KAFKA_BOOTSTRAP_SERVERS}, with the login the environment gives
 * for it ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_*}, {@code KAFKA_SSL_*}: {@link
 * ClientSecurity}), which every configuration and client made here carries. Tests share it, so each
 * gets its own application-id prefix and state directory from {@link #config()}, and its own topic
 * names from {@link #uniqueTopicPrefix()}.
 */
public final class SharedKafka {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final List<Path> TEMP_DIRS = new CopyOnWriteArrayList<>();
  private static final String RUN = Long.toString(ProcessHandle.current().pid());
  private static String bootstrapServers;
  private static Map<String, String> security = Map.of();
  private static volatile EmbeddedKafka embedded;

  static {
    // One hook, in order: the broker must be down before its directory goes.
    Runtime.getRuntime().addShutdownHook(new Thread(SharedKafka::stop, "shared-kafka-stop"));
  }

  private SharedKafka() {}

  public static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      Map<String, String> environment = System.getenv();
      security = securitySettings(environment);
      String external = environment.get(AppConfig.KAFKA_BOOTSTRAP_SERVERS);
      if (external != null && !external.isBlank()) {
        bootstrapServers = external.trim();
      } else {
        embedded = EmbeddedKafka.start(tempDir("kafka"));
        bootstrapServers = embedded.bootstrapServers();
      }
    }
    return bootstrapServers;
  }

  /**
   * A configuration for one test's services: the shared broker, an application-id prefix and a
   * state directory of its own (so two tests never share a consumer group or a RocksDB), RF 1.
   */
  public static AppConfig config() {
    var values = new HashMap<String, String>(cluster());
    values.put(AppConfig.STATE_DIR, tempDir("state").toString());
    values.put(AppConfig.APP_ID_PREFIX, "test" + COUNTER.incrementAndGet() + "-" + RUN + "-");
    values.put(AppConfig.TOPIC_REPLICATION_FACTOR, "1");
    return AppConfig.of(values);
  }

  /**
   * What a raw client of the shared cluster starts from (a test's own producer or consumer): its
   * address and, on an external cluster, the environment's login, as every client of the pipeline
   * gets them ({@link TopicCreator#commonClientProps}).
   */
  public static Map<String, Object> clientProps() {
    return TopicCreator.commonClientProps(AppConfig.of(cluster()));
  }

  /**
   * {@link #clientProps()} when {@code bootstrap} is the shared cluster's address; for another
   * broker (a test's own), only the address.
   */
  public static Map<String, Object> clientProps(String bootstrap) {
    synchronized (SharedKafka.class) {
      if (bootstrap.equals(bootstrapServers)) {
        return clientProps();
      }
    }
    return TopicCreator.commonClientProps(
        AppConfig.of(Map.of(AppConfig.KAFKA_BOOTSTRAP_SERVERS, bootstrap)));
  }

  /** The shared cluster's address and login, as configuration. */
  private static synchronized Map<String, String> cluster() {
    var values = new HashMap<String, String>();
    values.put(AppConfig.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers());
    values.putAll(security);
    return values;
  }

  /**
   * The client security settings ({@link ClientSecurity#keys()}) the environment gives for an
   * external cluster ({@code KAFKA_BOOTSTRAP_SERVERS}); none for the embedded broker, which
   * authenticates nobody. A login set without an external cluster is refused, as {@code LocalMain}
   * refuses it when it starts its own broker: it names a cluster the tests would not be run
   * against.
   */
  static Map<String, String> securitySettings(Map<String, String> environment) {
    var settings = new HashMap<String, String>();
    for (String key : ClientSecurity.keys()) {
      String value = environment.get(key);
      if (value != null && !value.isBlank()) {
        settings.put(key, value);
      }
    }
    String external = environment.get(AppConfig.KAFKA_BOOTSTRAP_SERVERS);
    if ((external == null || external.isBlank()) && !settings.isEmpty()) {
      throw new IllegalStateException(
          new java.util.TreeSet<>(settings.keySet())
              + " set without KAFKA_BOOTSTRAP_SERVERS: the tests' embedded broker authenticates"
              + " nobody; set KAFKA_BOOTSTRAP_SERVERS to the cluster this login is for, or unset"
              + " the login");
    }
    return Map.copyOf(settings);
  }

  /**
   * A prefix no other test (of this or an earlier run on the same broker) uses: {@code t7-1234-}.
   */
  public static String uniqueTopicPrefix() {
    return "t" + COUNTER.incrementAndGet() + "-" + RUN + "-" + System.nanoTime() % 100_000 + "-";
  }

  /** Creates the catalogue entries on the shared broker (idempotent, RF 1). */
  public static void createTopics(TopicSpec<?, ?>... specs) {
    TopicCreator.ensure(config(), Arrays.asList(specs));
  }

  /** Creates plain topics of one partition each, kept forever, on the shared broker. */
  public static void createTopics(String... names) {
    createTopics(
        Arrays.stream(names)
            .map(
                name ->
                    new TopicSpec<>(
                        name,
                        byte[].class,
                        byte[].class,
                        1,
                        TopicSpec.Cleanup.DELETE,
                        null,
                        "test",
                        "test",
                        "test topic"))
            .toArray(TopicSpec<?, ?>[]::new));
  }

  /** A fresh temporary directory, deleted with its contents when the JVM exits. */
  public static Path tempDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory("userpipe-" + prefix + "-");
      TEMP_DIRS.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stop() {
    EmbeddedKafka kafka = embedded;
    if (kafka != null) {
      kafka.close();
    }
    deleteTempDirs();
  }

  private static void deleteTempDirs() {
    for (Path dir : TEMP_DIRS) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(SharedKafka::deleteQuietly);
      } catch (IOException | UncheckedIOException e) {
        // at JVM exit there is nobody left to tell: a leftover in /tmp is harmless
      }
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // a file still held open by a process shutting down concurrently; best effort at exit
    }
  }
}
