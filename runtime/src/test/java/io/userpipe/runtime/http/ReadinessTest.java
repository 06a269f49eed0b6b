package io.userpipe.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Readiness tells the truth, and a route still being mounted is a 503, never a 404. */
class ReadinessTest {

  private HttpService http;
  private final HealthEndpoint health = new HealthEndpoint();
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    http = new HttpService("127.0.0.1", 0);
    health.mount(http);
    http.start();
  }

  @AfterEach
  void stop() {
    http.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(http.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPathNotMountedYetIs503WithRetryAfterWhileStarting() throws Exception {
    var starting = get("/v2/users");
    assertEquals(503, starting.statusCode());
    assertEquals("1", starting.headers().firstValue("Retry-After").orElse(null));
    assertEquals("starting", Json.mapper().readTree(starting.body()).at("/error/code").asText());

    http.route("GET", "/v2/users", r -> Response.ok(java.util.Map.of("data", java.util.List.of())));
    http.routesComplete();
    assertEquals(200, get("/v2/users").statusCode());
    assertEquals(404, get("/v2/nothing").statusCode());
  }

  @Test
  void readyOnlyWhenEveryReadinessCheckPasses() throws Exception {
    assertEquals(503, get("/ready").statusCode(), "nothing registered yet: not ready");
    assertFalse(health.isReady());

    var views = new AtomicBoolean(false);
    health.registerReadiness("projections", () -> true);
    health.registerReadiness("views", views::get);
    var notYet = get("/ready");
    assertEquals(503, notYet.statusCode());
    assertEquals("1", notYet.headers().firstValue("Retry-After").orElse(null));
    assertEquals("NOT_READY", Json.mapper().readTree(notYet.body()).at("/checks/views").asText());

    views.set(true);
    assertEquals(200, get("/ready").statusCode());
    assertTrue(health.isReady());

    health.registerReadiness(
        "broken",
        () -> {
          throw new IllegalStateException("no metadata");
        });
    assertEquals(503, get("/ready").statusCode(), "a check that throws is not ready");
  }
}
