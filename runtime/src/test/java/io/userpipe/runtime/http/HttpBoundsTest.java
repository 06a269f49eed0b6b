package io.userpipe.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The HTTP door bounds what it holds and says which limit was hit. */
class HttpBoundsTest {

  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void aRequestOverTheInFlightLimitIs503WithRetryAfterNotQueued() throws Exception {
    var entered = new Semaphore(0);
    var release = new CountDownLatch(1);
    var http = holding(entered, release, 2, 3, Duration.ofMinutes(5));
    try {
      List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
      for (int i = 0; i < 3; i++) { // two threads busy, one waiting: the limit of 3
        held.add(
            HttpClient.newHttpClient()
                .sendAsync(
                    HttpRequest.newBuilder(URI.create(http.baseUrl() + "/slow")).build(),
                    HttpResponse.BodyHandlers.ofString()));
      }
      assertTrue(entered.tryAcquire(2, 30, TimeUnit.SECONDS), "two handlers running");
      HttpResponse<String> refused = awaitOverloaded(http);
      assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
      var error = Json.mapper().readTree(refused.body()).path("error");
      assertEquals("overloaded", error.path("code").asText());
      assertTrue(error.path("message").asText().contains("more than 3 requests"), refused.body());

      release.countDown();
      for (var h : held) {
        assertEquals(200, h.get(60, TimeUnit.SECONDS).statusCode());
      }
      assertEquals(200, get(http, "/fast").statusCode(), "served again once below the limit");
    } finally {
      release.countDown();
      http.close();
    }
  }

  /**
   * Waits until the three held requests are all counted (the third may still be on its way), so
   * that the probe is the fourth: a probe sent earlier could take the third place itself and leave
   * a held request refused.
   */
  private HttpResponse<String> awaitOverloaded(HttpService http) throws Exception {
    for (int i = 0; i < 300 && http.inFlight() < 3; i++) {
      Thread.sleep(100);
    }
    assertEquals(3, http.inFlight(), "the three held requests in flight");
    return get(http, "/fast");
  }

  /**
   * A started service whose {@code /slow} holds its thread until {@code release} (counting each
   * entry on {@code entered}) and whose {@code /fast} answers at once.
   */
  private static HttpService holding(
      Semaphore entered, CountDownLatch release, int threads, int maxInFlight, Duration queueWait) {
    var http =
        new HttpService("127.0.0.1", 0, threads, maxInFlight, queueWait, WorkGate.DEFAULT_PLACES);
    http.route(
        "GET",
        "/slow",
        r -> {
          entered.release();
          release.await(60, TimeUnit.SECONDS);
          return Response.ok(Map.of("done", true));
        });
    http.route("GET", "/fast", r -> Response.ok(Map.of("fast", true)));
    http.start();
    http.routesComplete();
    return http;
  }

  private HttpResponse<String> get(HttpService http, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(http.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRequestWaitingTooLongForAThreadIs503WithRetryAfterBeforeItsConnectionIsCut()
      throws Exception {
    var entered = new Semaphore(0);
    var release = new CountDownLatch(1);
    var http = holding(entered, release, 1, 10, Duration.ofMillis(300));
    try {
      var held =
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(http.baseUrl() + "/slow")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertTrue(entered.tryAcquire(1, 30, TimeUnit.SECONDS), "the one thread is busy");

      // queued behind it, and answered while the thread is still held
      var shed =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(http.baseUrl() + "/fast")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(503, shed.statusCode(), shed.body());
      assertEquals("1", shed.headers().firstValue("Retry-After").orElse(null));
      var error = Json.mapper().readTree(shed.body()).path("error");
      assertEquals("overloaded", error.path("code").asText());
      assertTrue(
          error.path("message").asText().contains("waited 300 ms for one of 1 threads"),
          shed.body());
      // the shed request leaves the count just after its answer is written: wait for that
      for (int i = 0; i < 300 && http.inFlight() > 1; i++) {
        Thread.sleep(100);
      }
      assertEquals(1, http.inFlight(), "only the held request is counted");

      release.countDown();
      assertEquals(200, held.get(60, TimeUnit.SECONDS).statusCode());
      assertEquals(200, get(http, "/fast").statusCode(), "served again once a thread is free");
    } finally {
      release.countDown();
      http.close();
    }
  }

  @Test
  void jsonDeeperOrLongerThanItsLimitsIs400NamingTheLimit() throws Exception {
    var http = new HttpService("127.0.0.1", 0);
    http.route("POST", "/things", r -> Response.ok(Map.of("fields", r.jsonObject().size())));
    http.start();
    http.routesComplete();
    try {
      String deep =
          "{\"a\":" + "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1) + "}";
      var tooDeep = post(http, deep);
      assertEquals(400, tooDeep.statusCode(), tooDeep.body());
      assertTrue(tooDeep.body().contains("nesting depth"), tooDeep.body());

      String longString = "{\"a\":\"" + "x".repeat(Json.MAX_STRING_CHARS + 1) + "\"}";
      var tooLong = post(http, longString);
      assertEquals(400, tooLong.statusCode(), tooLong.body());
      assertTrue(tooLong.body().contains("String value length"), tooLong.body());

      var fine = post(http, "{\"a\":[[1]],\"b\":\"" + "x".repeat(1000) + "\"}");
      assertEquals(200, fine.statusCode(), fine.body());
    } finally {
      http.close();
    }
  }

  private HttpResponse<String> post(HttpService http, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(http.baseUrl() + "/things"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
