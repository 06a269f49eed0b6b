package io.userpipe.runtime.testing;

import io.userpipe.localstack.EmbeddedKafka;
import io.userpipe.localstack.SaslScram;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Kafka broker in its own OS process ({@link EmbeddedKafka#main}), for tests that must stop or
 * kill the broker apart from the services under test. It runs on this JVM's class path, so the
 * test's logback configuration applies to it too.
 */
public final class BrokerProcess implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final String bootstrapServers;

  private BrokerProcess(Process process, String bootstrapServers) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Starts a broker process on {@code port} (fixed, so a restart on the same {@code dataDir} has
   * the same address) and returns once it prints {@code READY}.
   */
  public static BrokerProcess start(Path dataDir, int port) {
    return start(dataDir, port, Optional.empty());
  }

  /**
   * As {@link #start(Path, int)}; with a super-user, the broker authenticates (SASL SCRAM) and
   * authorizes ({@link EmbeddedKafka#startAuthenticated}).
   */
  public static BrokerProcess start(Path dataDir, int port, Optional<SaslScram> superUser) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var command =
        List.of(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            EmbeddedKafka.class.getName(),
            dataDir.toAbsolutePath().toString(),
            Integer.toString(port));
    Process process;
    try {
      var builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
      superUser.ifPresent(
          s -> {
            builder.environment().put(EmbeddedKafka.SUPER_USER_ENV, s.superUser());
            builder.environment().put(EmbeddedKafka.SUPER_USER_PASSWORD_ENV, s.password());
          });
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a broker process", e);
    }
    // a test JVM that dies must not leave a broker behind
    Runtime.getRuntime()
        .addShutdownHook(new Thread(process::destroyForcibly, "broker-" + port + "-reaper"));
    var ready = new CompletableFuture<String>();
    Thread reader = new Thread(() -> pump(process, ready), "broker-" + port + "-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      String bootstrap = ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new BrokerProcess(process, bootstrap);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting a broker process", e);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("broker process on port " + port + " did not start", e);
    }
  }

  /** Echoes the child's stdout (so its pipe never fills) and spots its READY line. */
  private static void pump(Process process, CompletableFuture<String> ready) {
    try (var lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("READY ")) {
          ready.complete(line.substring("READY ".length()).trim());
        } else {
          System.out.println("[broker " + process.pid() + "] " + line);
        }
      }
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
    ready.completeExceptionally(
        new IllegalStateException("broker process ended before READY: " + process.pid()));
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Process process() {
    return process;
  }

  /** SIGTERM, then waits until the broker has shut down cleanly and exited. */
  public void stop() {
    process.destroy();
    awaitExit();
  }

  /** SIGKILL: a crash, with no clean shutdown. */
  public void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("broker process " + process.pid() + " did not stop");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping a broker process", e);
    }
  }

  /** Stops the broker cleanly if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }
}
