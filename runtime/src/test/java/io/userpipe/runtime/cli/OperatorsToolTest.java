package io.userpipe.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.operators.OperatorFollower;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * bin/operators against a real broker and registry: each change reaches a running follower (as an
 * HTTP door has it) without a restart; a rotated secret and a retired operator are refused.
 */
class OperatorsToolTest {

  private final AppConfig config =
      SharedKafka.config().with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url());
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final OperatorsTool tool =
      new OperatorsTool(config, new PrintStream(printed, true, StandardCharsets.UTF_8), "tester");

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
  void addRotateAndRetireReachARunningFollowerWithoutARestart() throws Exception {
    String id = "jane-" + System.nanoTime();
    assertEquals(0, tool.run(new String[] {"add", id}));
    String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
    String first = lines[1].trim(); // printed once, on the line after the announcement
    assertEquals(43, first.length(), printed.toString(StandardCharsets.UTF_8));

    try (var follower = new OperatorFollower(config, AvroSerdes.from(config), "test-operators")) {
      follower.start();
      eventually("caught up", follower::caughtUp);
      var credentials = follower.credentials();
      assertTrue(credentials.authenticate(id, first), "known once caught up");

      String second = tool.rotate(id);
      eventually("rotated", () -> credentials.authenticate(id, second));
      assertFalse(credentials.authenticate(id, first), "the old secret after rotation");

      tool.retire(id);
      eventually("retired", () -> !credentials.authenticate(id, second));
      assertFalse(credentials.authenticate(id, first));
    }

    printed.reset();
    assertEquals(1, tool.run(new String[] {"add", id}), "a retired id is not given again");
    assertEquals(1, tool.run(new String[] {"rotate", id}));
    assertEquals(2, tool.run(new String[] {"frobnicate"}));
    assertEquals(0, tool.run(new String[] {"list"}));
    String listed = printed.toString(StandardCharsets.UTF_8);
    assertTrue(listed.contains("refused: operator " + id + " exists already"), listed);
    assertTrue(listed.matches("(?s).*" + id + " +retired +since .* by tester.*"), listed);
  }
}
