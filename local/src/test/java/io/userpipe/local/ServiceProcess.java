package io.userpipe.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service of the pipeline in its own OS process (its own {@code main}, configured by
 * environment variables like in production), so a test can kill -9 it at any moment and start it
 * again on the same state directory. Each start logs to its own file.
 */
final class ServiceProcess implements AutoCloseable {

  private final String name;
  private final String mainClass;
  private final Map<String, String> env;
  private final Path logDir;
  private final String readyLine;
  private final List<String> jvmOptions;
  private Process process;
  private int starts;

  /**
   * @param readyLine a log line fragment that says the service is up ("running as")
   */
  ServiceProcess(
      String name, String mainClass, Map<String, String> env, Path logDir, String readyLine) {
    this(name, mainClass, env, logDir, readyLine, List.of("-Xmx384m", "-XX:+UseSerialGC"));
  }

  /**
   * @param jvmOptions the JVM's options, e.g. the local stack's own ({@link #STACK_JVM_OPTIONS})
   */
  ServiceProcess(
      String name,
      String mainClass,
      Map<String, String> env,
      Path logDir,
      String readyLine,
      List<String> jvmOptions) {
    this.name = name;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.mainClass = mainClass;
    this.env = Map.copyOf(env);
    this.logDir = logDir;
    this.readyLine = readyLine;
  }

  /** The local stack's JVM options, as bin/run-local gives them (the tests run in local/). */
  static final String STACK_JVM_OPTIONS =
      "@" + Path.of("..", "bin", "lib", "stack-jvm.options").toAbsolutePath().normalize();

  String name() {
    return name;
  }

  /** Starts the process; with {@code await}, returns once its log says it is ready. */
  void start(boolean await, Duration timeout) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = logDir.resolve(name + "-" + (++starts) + ".log");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.add("-Dlogback.configurationFile=" + logDir.resolve("logback.xml"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    var builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    Process started = process;
    Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, name + "-reaper"));
    if (await) {
      awaitLog(log, readyLine, timeout);
    }
  }

  private void awaitLog(Path log, String line, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (Files.exists(log)
            && Files.readString(log, StandardCharsets.ISO_8859_1).contains(line)) {
          return;
        }
        if (!process.isAlive()) {
          throw new IllegalStateException(name + " exited while starting; see " + log);
        }
        Thread.sleep(200);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException(name + " not ready within " + timeout + "; see " + log);
  }

  /**
   * Waits for the process to exit by itself.
   *
   * @return its exit status, or -1 if it was still running after {@code timeout} (it is killed)
   */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  /** The log of the latest start. */
  Path lastLog() {
    return logDir.resolve(name + "-" + starts + ".log");
  }

  /** kill -9: no shutdown hook, no clean close, no commit. */
  void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    waitFor();
  }

  /**
   * SIGTERM: a clean stop.
   *
   * @return true if the process exited by itself (within 60 s), false if it had to be killed
   */
  boolean stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      return waitFor();
    }
    return true;
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Waits for the exit, killing the process after 60 s; true if it exited by itself. */
  private boolean waitFor() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The logback configuration every service process uses: everything to its own stdout. */
  static void writeLogbackConfig(Path logDir) throws IOException {
    Files.createDirectories(logDir);
    Files.writeString(
        logDir.resolve("logback.xml"),
        """
        <configuration>
          <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
          </appender>
          <logger name="org.apache.kafka" level="WARN"/>
          <root level="INFO"><appender-ref ref="STDOUT"/></root>
        </configuration>
        """);
  }

  @Override
  public void close() {
    stop();
  }
}
