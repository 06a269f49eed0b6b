package io.userpipe.runtime.testing;

import io.userpipe.localstack.EmbeddedKafka;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.schemas.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One real Kafka broker per test JVM, started on first use and stopped when the JVM exits; or the
 * external cluster named by {@code KAFKA_BOOTSTRAP_SERVERS}. Tests share it, so each gets its own
 * application-id prefix and state directory from {@link #config()}, and its own topic names from
 * {@link #uniqueTopicPrefix()}.
 */
public final class SharedKafka {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final List<Path> TEMP_DIRS = new CopyOnWriteArrayList<>();
  private static final String RUN = Long.toString(ProcessHandle.current().pid());
  private static String bootstrapServers;
  private static volatile EmbeddedKafka embedded;

  static {
    // One hook, in order: the broker must be down before its directory goes.
    Runtime.getRuntime().addShutdownHook(new Thread(SharedKafka::stop, "shared-kafka-stop"));
  }

  private SharedKafka() {}

  public static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      String external = System.getenv(AppConfig.KAFKA_BOOTSTRAP_SERVERS);
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
    return AppConfig.of(
        Map.of(
            AppConfig.KAFKA_BOOTSTRAP_SERVERS,
            bootstrapServers(),
            AppConfig.STATE_DIR,
            tempDir("state").toString(),
            AppConfig.APP_ID_PREFIX,
            "test" + COUNTER.incrementAndGet() + "-" + RUN + "-",
            AppConfig.TOPIC_REPLICATION_FACTOR,
            "1"));
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
