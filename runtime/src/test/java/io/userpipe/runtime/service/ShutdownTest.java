package io.userpipe.runtime.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGTERM stops a process within the shutdown's limit, even when a close never returns. */
class ShutdownTest {

  /** A process whose close hangs (like a RocksDB close behind a GC storm) or returns at once. */
  public static final class Stopping {
    public static void main(String[] args) throws InterruptedException {
      boolean hang = args[0].equals("hang");
      Shutdown.onSignal(
          "stopping",
          () -> {
            System.out.println("closing");
            System.out.flush();
            if (hang) {
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
      System.out.println("ready");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  @Test
  void aCloseThatNeverReturnsIsCutOffAtTheLimitAndTheProcessHalts() throws Exception {
    var stopped = stop("hang");
    assertEquals(Shutdown.HALTED, stopped.exitCode(), stopped.output());
    assertTrue(stopped.output().contains("closing"), stopped.output());
    assertTrue(stopped.output().contains("not stopped within PT1S; halting"), stopped.output());
  }

  @Test
  void aCloseThatReturnsEndsTheProcessAsASignalDoes() throws Exception {
    var stopped = stop("return");
    assertEquals(143, stopped.exitCode(), stopped.output()); // 128 + SIGTERM
    assertTrue(stopped.output().contains("stopped in"), stopped.output());
  }

  private record Stopped(int exitCode, String output) {}

  private static Stopped stop(String mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-D" + Shutdown.LIMIT_PROPERTY + "=PT1S",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Stopping.class.getName(),
                    mode))
            .redirectErrorStream(true)
            .start();
    var output = new StringBuilder();
    try (var reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.append(line).append('\n');
        if (line.equals("ready")) {
          process.toHandle().destroy(); // SIGTERM, leaving the output open
        }
      }
    } finally {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    return new Stopped(process.exitValue(), output.toString());
  }
}
