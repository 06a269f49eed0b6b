package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.commands.UserCommandService;
import io.userpipe.ofac.OfacScreener;
import io.userpipe.ofac.list.ListFetcher;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.kafka.ClientSecurity;
import io.userpipe.runtime.testing.Ports;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.tin.TinVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every service run alone, through its own {@code main} in its own OS process as in production,
 * serves its own health, readiness and metrics, and stops cleanly on SIGTERM.
 */
class ServiceMainsTest {

  private static final Duration START = Duration.ofSeconds(120);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void eachServiceMainServesHealthReadinessAndMetricsAndStopsOnSigterm() throws Exception {
    Path dir = SharedKafka.tempDir("mains");
    Path logs = dir.resolve("logs");
    ServiceProcess.writeLogbackConfig(logs);
    Map<String, String> common =
        new HashMap<>(ChaosRun.commonEnv(SharedKafka.bootstrapServers(), dir));
    common.put(AppConfig.APP_ID_PREFIX, "mains-" + ProcessHandle.current().pid() + "-");
    Map<String, Class<?>> mains = new LinkedHashMap<>();
    mains.put(UserCommandService.NAME, UserCommandService.class);
    mains.put(TinVerifier.NAME, TinVerifier.class);
    mains.put(OfacScreener.NAME, OfacScreener.class);
    mains.put(Projections.NAME, Projections.class);
    mains.put(io.userpipe.webhooks.Webhooks.NAME, io.userpipe.webhooks.Webhooks.class);

    List<ServiceProcess> processes = new ArrayList<>();
    Map<String, Integer> ports = new LinkedHashMap<>();
    try {
      for (var main : mains.entrySet()) {
        int port = Ports.freeLoopbackPort();
        Map<String, String> env = new HashMap<>(common);
        env.put(AppConfig.STATE_DIR, dir.resolve("state").resolve(main.getKey()).toString());
        env.put(AppConfig.HTTP_PORT, Integer.toString(port));
        if (main.getKey().equals(OfacScreener.NAME)) {
          // a scheduled fetch from a directory: the shipped files, the version in force
          env.put(
              ListFetcher.OFAC_LIST_SOURCE,
              Path.of("..", "ofac-screener", "src", "main", "resources", "ofac", "2023-12-28")
                  .toAbsolutePath()
                  .normalize()
                  .toString());
        }
        var process =
            new ServiceProcess(main.getKey(), main.getValue().getName(), env, logs, "running as");
        processes.add(process);
        ports.put(main.getKey(), port);
        process.start(false, START);
      }
      for (var service : ports.entrySet()) {
        String base = "http://127.0.0.1:" + service.getValue();
        awaitStatus(base + "/ready", 200, service.getKey());
        var health = get(base + "/health");
        assertEquals(200, health.statusCode(), service.getKey() + ": " + health.body());
        assertTrue(health.body().contains(service.getKey()), health.body());
        var metrics = get(base + "/metrics");
        assertEquals(200, metrics.statusCode(), service.getKey());
        assertTrue(
            metrics.body().contains("kafka_stream_"),
            service.getKey() + " serves its Streams metrics");
        if (service.getKey().equals(OfacScreener.NAME)) {
          // the list's freshness: a detail of health (never a failed check) and metrics
          assertTrue(health.body().contains("\"ofac-screener.list\""), health.body());
          assertTrue(health.body().contains("\"last_fetch_error\""), health.body());
          awaitBody(base + "/health", "\"last_fetch_success_at\":\"20", service.getKey());
          assertTrue(metrics.body().contains("\nofac_list_age_seconds{"), metrics.body());
          assertTrue(metrics.body().contains("\nofac_list_stale{"), metrics.body());
        }
        assertEquals(404, get(base + "/no-such-path").statusCode(), "routes complete once up");
      }
    } catch (Throwable e) {
      processes.forEach(ServiceProcess::kill);
      throw e;
    }
    for (ServiceProcess process : processes) {
      assertTrue(process.stop(), process.name() + " exits by itself on SIGTERM");
      assertFalse(process.isAlive());
    }
  }

  /**
   * A service main given a published secret exits non-zero before it starts anything, with one log
   * line naming the setting and how to generate a value. (Each refusal is tested on the checks
   * themselves: runtime's SecretTest; this is the process's side, once.)
   */
  @Test
  void aServiceMainRefusesAPublishedSecretWithOneLineSayingWhatToSet() throws Exception {
    Path dir = SharedKafka.tempDir("mains-refusal");
    Path logs = dir.resolve("logs");
    ServiceProcess.writeLogbackConfig(logs);
    Map<String, String> env =
        new HashMap<>(ChaosRun.commonEnv(SharedKafka.bootstrapServers(), dir));
    env.put(Secret.INTERNAL_TOKEN.key(), "change-me"); // a value published in this repository
    var process =
        new ServiceProcess(Projections.NAME, Projections.class.getName(), env, logs, "running as");
    process.start(false, START);
    int status = process.awaitExit(START);
    String log = Files.readString(process.lastLog());
    assertEquals(1, status, log);
    var errors = log.lines().filter(line -> line.contains("ERROR")).toList();
    assertEquals(1, errors.size(), log);
    assertTrue(
        errors.get(0).contains("refusing to start: INTERNAL_TOKEN is a published demo value"), log);
    assertTrue(errors.get(0).contains("openssl rand -hex 32"), "says how to generate: " + log);
    assertFalse(log.contains("running as"), "nothing started: " + log);
  }

  /**
   * A Kafka login the protocol would ignore (credentials set, protocol left at PLAINTEXT) stops a
   * service main with one line naming the settings, and the password appears in no log line.
   */
  @Test
  void aServiceMainRefusesAKafkaLoginItWouldNotUse() throws Exception {
    Path dir = SharedKafka.tempDir("mains-kafka-login");
    Path logs = dir.resolve("logs");
    ServiceProcess.writeLogbackConfig(logs);
    Map<String, String> env =
        new HashMap<>(ChaosRun.commonEnv(SharedKafka.bootstrapServers(), dir));
    env.put(
        ClientSecurity.KAFKA_SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\""
            + " password=\"login-pw-5d2e\";");
    var process =
        new ServiceProcess(Projections.NAME, Projections.class.getName(), env, logs, "running as");
    process.start(false, START);
    int status = process.awaitExit(START);
    String log = Files.readString(process.lastLog());
    assertEquals(1, status, log);
    var errors = log.lines().filter(line -> line.contains("ERROR")).toList();
    assertEquals(1, errors.size(), log);
    assertTrue(
        errors
            .get(0)
            .contains(
                "refusing to start: KAFKA_SASL_JAAS_CONFIG is set but KAFKA_SECURITY_PROTOCOL is"
                    + " PLAINTEXT"),
        log);
    assertFalse(log.contains("login-pw-5d2e"), "the password is logged: " + log);
    assertFalse(log.contains("running as"), "nothing started: " + log);
  }

  private void awaitBody(String url, String part, String service) throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    String body = "";
    while (System.nanoTime() < deadline && !body.contains(part)) {
      body = get(url).body();
      Thread.sleep(200);
    }
    assertTrue(body.contains(part), service + " never showed " + part + " at " + url + ": " + body);
  }

  private void awaitStatus(String url, int status, String service) throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = get(url);
        if (last.statusCode() == status) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        service
            + " never answered "
            + status
            + " at "
            + url
            + ": "
            + (last == null ? "no answer" : last.statusCode() + " " + last.body()));
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
