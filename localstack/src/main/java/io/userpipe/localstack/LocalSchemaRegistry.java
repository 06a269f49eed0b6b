package io.userpipe.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry on loopback for runs without Docker: Apicurio Registry 2.6 (from Maven
 * Central, unpacked by the build), in memory, as a child process. It serves Confluent's REST API at
 * {@code /apis/ccompat/v7}; its global compatibility is set to BACKWARD (Apicurio's default is
 * NONE).
 */
public final class LocalSchemaRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalSchemaRegistry.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final String url;
  private final Thread killer;

  private LocalSchemaRegistry(Process process, String url) {
    this.process = process;
    this.url = url;
    this.killer = new Thread(process::destroyForcibly, "registry-killer");
    Runtime.getRuntime().addShutdownHook(killer);
  }

  public static LocalSchemaRegistry start(Path workDir) {
    Path runner = runnerJar();
    int port = freePort();
    Path logFile = workDir.resolve("apicurio.log");
    try {
      Files.createDirectories(workDir);
      String java =
          ProcessHandle.current()
              .info()
              .command()
              .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      var command =
          List.of(
              java,
              "-Xms32m",
              "-Xmx256m",
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "-Dquarkus.http.host=127.0.0.1",
              "-Dquarkus.http.port=" + port,
              "-Dquarkus.log.level=WARN",
              "-Dquarkus.log.category.\"io.apicurio\".level=WARN",
              "-jar",
              runner.toString());
      Process process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
      String base = "http://127.0.0.1:" + port + "/apis/ccompat/v7";
      var registry = new LocalSchemaRegistry(process, base);
      registry.awaitReady(logFile);
      registry.put("/config", "{\"compatibility\":\"BACKWARD\"}");
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local schema registry", e);
    }
  }

  /** The registry's Confluent-compatible base URL. */
  public String url() {
    return url;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway
    }
  }

  static Path runnerJar() {
    String home = System.getenv("APICURIO_HOME");
    String version = "2.6.13.Final";
    if (home == null) {
      var props = new Properties();
      try (InputStream in = LocalSchemaRegistry.class.getResourceAsStream("apicurio.properties")) {
        if (in != null) {
          props.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      home = props.getProperty("apicurio.home");
      version = props.getProperty("apicurio.version", version);
    }
    if (home == null) {
      throw new IllegalStateException("APICURIO_HOME is not set and the build did not record it");
    }
    String runner = "apicurio-registry-app-" + version + "-runner.jar";
    Path jar = Path.of(home, runner);
    if (!Files.isRegularFile(jar)) {
      // A jar built in another checkout records that checkout's path: look in this one instead.
      for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
        Path candidate = dir.resolve("runtime/target/apicurio").resolve(runner);
        if (Files.isRegularFile(candidate)) {
          return candidate;
        }
      }
    }
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "Apicurio Registry is not at "
              + jar
              + ": build the project (mvn install) or set APICURIO_HOME, or set SCHEMA_REGISTRY_URL");
    }
    return jar;
  }

  private void awaitReady(Path logFile) {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long started = System.nanoTime();
    long deadline = started + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the schema registry exited: " + tail(logFile));
      }
      try {
        var response =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/subjects"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          log.info(
              "schema registry ready at {} in {} ms",
              url,
              (System.nanoTime() - started) / 1_000_000);
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new IllegalStateException(
        "the schema registry did not answer within " + READY_TIMEOUT + ": " + tail(logFile));
  }

  private void put(String path, String json) {
    try {
      var response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + path))
                      .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                      .PUT(HttpRequest.BodyPublishers.ofString(json))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "registry refused PUT " + path + ": " + response.statusCode() + " " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }
}
