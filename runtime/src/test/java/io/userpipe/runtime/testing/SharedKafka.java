package io.userpipe.runtime.testing;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.local.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real Kafka broker per test JVM, started on first use and stopped when the JVM exits; or the
 * external cluster named by {@code KAFKA_BOOTSTRAP_SERVERS}. Tests share it, so each gets its own
 * application-id prefix and state directory from {@link #config()}.
 */
public final class SharedKafka {

  private static final AtomicInteger APPS = new AtomicInteger();
  private static String bootstrapServers;

  private SharedKafka() {}

  public static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      String external = System.getenv(AppConfig.KAFKA_BOOTSTRAP_SERVERS);
      if (external != null && !external.isBlank()) {
        bootstrapServers = external;
      } else {
        EmbeddedKafka kafka = EmbeddedKafka.start(tempDir("kafka"));
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "shared-kafka-stop"));
        bootstrapServers = kafka.bootstrapServers();
      }
    }
    return bootstrapServers;
  }

  /** A configuration for one test's services: shared broker, own app ids and state. */
  public static AppConfig config() {
    return AppConfig.of(
        Map.of(
            AppConfig.KAFKA_BOOTSTRAP_SERVERS,
            bootstrapServers(),
            AppConfig.STATE_DIR,
            tempDir("state").toString(),
            AppConfig.APP_ID_PREFIX,
            "test" + APPS.incrementAndGet() + "-" + ProcessHandle.current().pid() + "-",
            AppConfig.TOPIC_REPLICATION_FACTOR,
            "1"));
  }

  public static Path tempDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory("userpipe-" + prefix + "-");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
