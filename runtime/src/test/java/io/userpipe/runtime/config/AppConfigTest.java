package io.userpipe.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppConfigTest {

  private static final AppConfig EMPTY = AppConfig.of(Map.of());

  @Test
  void givesTheDefaultsWhenNothingIsSet() {
    assertEquals(Path.of("var/state"), EMPTY.stateDir());
    assertEquals("127.0.0.1", EMPTY.httpHost());
    assertEquals(8080, EMPTY.httpPort());
    assertEquals(-1, EMPTY.topicReplicationFactor());
    assertEquals(50, EMPTY.commitIntervalMs());
    assertEquals(1, EMPTY.numStreamThreads());
    assertEquals(0, EMPTY.numStandbyReplicas());
    assertEquals("userpipe-", EMPTY.appIdPrefix());
    assertEquals(Optional.empty(), EMPTY.applicationServer());
    assertEquals(Optional.empty(), EMPTY.schemaRegistryUrl());
  }

  @Test
  void readsTheNamedKeys() {
    var config =
        AppConfig.of(
            Map.of(
                AppConfig.KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:9092",
                AppConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081",
                AppConfig.APPLICATION_SERVER, "127.0.0.1:7070",
                AppConfig.NUM_STREAM_THREADS, "3",
                AppConfig.TOPIC_REPLICATION_FACTOR, "3"));
    assertEquals("127.0.0.1:9092", config.bootstrapServers());
    assertEquals(Optional.of("http://127.0.0.1:8081"), config.schemaRegistryUrl());
    assertEquals(Optional.of("127.0.0.1:7070"), config.applicationServer());
    assertEquals(3, config.numStreamThreads());
    assertEquals(3, config.topicReplicationFactor());
  }

  @Test
  void treatsBlankAsUnsetAndTrimsValues() {
    var config = AppConfig.of(Map.of("A", "  ", "B", " x "));
    assertEquals(Optional.empty(), config.find("A"));
    assertEquals("dflt", config.get("A", "dflt"));
    assertEquals("x", config.require("B"));
  }

  @Test
  void clientMetricsPushIsOffUnlessTurnedOnAndAnythingElseIsRefusedByName() {
    assertEquals(false, EMPTY.clientMetricsPush());
    assertEquals(
        true,
        AppConfig.of(Map.of(AppConfig.KAFKA_CLIENT_METRICS_PUSH, "true")).clientMetricsPush());
    var wrong = AppConfig.of(Map.of(AppConfig.KAFKA_CLIENT_METRICS_PUSH, "yes"));
    var e = assertThrows(IllegalStateException.class, wrong::clientMetricsPush);
    assertTrue(e.getMessage().contains(AppConfig.KAFKA_CLIENT_METRICS_PUSH), e.getMessage());
  }

  @Test
  void requireNamesTheMissingVariable() {
    var e = assertThrows(IllegalStateException.class, EMPTY::bootstrapServers);
    assertTrue(e.getMessage().contains(AppConfig.KAFKA_BOOTSTRAP_SERVERS));
  }

  @Test
  void withReturnsACopyAndLeavesTheOriginalAlone() {
    var changed = EMPTY.with(AppConfig.HTTP_PORT, "0");
    assertEquals(0, changed.httpPort());
    assertEquals(8080, EMPTY.httpPort());
    assertThrows(UnsupportedOperationException.class, () -> changed.asMap().put("X", "y"));
  }

  @Test
  void readsDurationsAsIsoOrMillis() {
    var config = AppConfig.of(Map.of("ISO", "PT5S", "MILLIS", "250", "BAD", "soon"));
    assertEquals(Duration.ofSeconds(5), config.getDuration("ISO", Duration.ZERO));
    assertEquals(Duration.ofMillis(250), config.getDuration("MILLIS", Duration.ZERO));
    assertEquals(Duration.ofMinutes(1), config.getDuration("UNSET", Duration.ofMinutes(1)));
    var e =
        assertThrows(IllegalStateException.class, () -> config.getDuration("BAD", Duration.ZERO));
    assertTrue(e.getMessage().contains("BAD"));
  }

  @Test
  void rejectsANumberThatIsNotOneAndNamesTheVariable() {
    var config = AppConfig.of(Map.of(AppConfig.NUM_STREAM_THREADS, "two"));
    var e = assertThrows(IllegalStateException.class, config::numStreamThreads);
    assertTrue(e.getMessage().contains(AppConfig.NUM_STREAM_THREADS));
  }
}
