package io.userpipe.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.platforms.PlatformFollower;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * bin/platforms against a real broker and registry: each change reaches a running follower (as an
 * HTTP door has it) without a restart; PLATFORMS seeds only what the topic does not know.
 */
class PlatformsToolTest {

  private final AppConfig config =
      SharedKafka.config().with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url());
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PlatformsTool tool =
      new PlatformsTool(
          config,
          new PrintStream(printed, true, StandardCharsets.UTF_8),
          "tester",
          Clock.systemUTC());

  /** Waits for what the follower reads from the topic; fails after a minute. */
  private static void eventually(String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never: " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aSeedAndEachChangeReachARunningFollowerWithoutARestart() throws Exception {
    String id = "acme-" + System.nanoTime();
    String seededId = "seeded-" + System.nanoTime();
    AppConfig door =
        config.with(
            PlatformDirectory.PLATFORMS,
            PlatformDirectory.entry(seededId, seededId + "-client", "seeded-key"));
    try (var follower = new PlatformFollower(door, AvroSerdes.from(door), "test-platforms")) {
      follower.start();
      eventually("ready with its seed", follower::ready);
      assertEquals(
          Optional.of(seededId), signIn(follower, seededId + "-client", "seeded-key"), "seeded");

      assertEquals(0, tool.run(new String[] {"add", id, id + "-client"}));
      String first = printed.toString(StandardCharsets.UTF_8).split("\n")[1].trim();
      assertEquals(43, first.length(), printed.toString(StandardCharsets.UTF_8));
      eventually("added", () -> signIn(follower, id + "-client", first).isPresent());

      printed.reset();
      assertEquals(0, tool.run(new String[] {"rotate", id, "--grace", "1h"}));
      String second = printed.toString(StandardCharsets.UTF_8).split("\n")[1].trim();
      eventually("rotated", () -> signIn(follower, id + "-client", second).isPresent());
      assertTrue(signIn(follower, id + "-client", first).isPresent(), "old key in its grace");

      tool.endGrace(id);
      eventually("grace ended", () -> signIn(follower, id + "-client", first).isEmpty());
      assertTrue(signIn(follower, id + "-client", second).isPresent());

      tool.retire(id);
      eventually("retired", () -> signIn(follower, id + "-client", second).isEmpty());
    }

    printed.reset();
    assertEquals(1, tool.run(new String[] {"add", id}), "a retired id is not given again");
    assertEquals(1, tool.run(new String[] {"rotate", id, "--grace", "40d"}));
    assertEquals(2, tool.run(new String[] {"frobnicate"}));
    assertEquals(0, tool.run(new String[] {"list"}));
    String listed = printed.toString(StandardCharsets.UTF_8);
    assertTrue(listed.contains("refused: platform " + id + " exists already"), listed);
    assertTrue(
        listed.matches(
            "(?s).*" + id + " +client " + id + "-client +retired +keys \\[\\].*by tester.*"),
        listed);
    assertTrue(
        listed.matches("(?s).*" + seededId + " .*active .*by seed:test-platforms.*"), listed);
  }

  private static Optional<String> signIn(PlatformFollower follower, String clientId, String key) {
    return follower.credentials().authenticate(clientId, key, java.time.Instant.now());
  }
}
