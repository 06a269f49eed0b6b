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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An answer to come ({@link Response#later}) holds no thread: a door with two threads keeps a
 * thousand requests waiting at once, answers each when its answer completes, and a refusal that
 * completes the wait is sent as that refusal.
 */
class AwaitedAnswersTest {

  private static final int REQUESTS = 1_000;

  private HttpService http;

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
  }

  @Test
  void aThousandAwaitedAnswersOnTwoThreads() throws Exception {
    var pending = new ConcurrentLinkedQueue<CompletableFuture<Response>>();
    http = new HttpService("127.0.0.1", 0, 2, 256, Duration.ofSeconds(5), 1);
    http.route(
        "GET",
        "/later/{n}",
        r -> {
          var answer = new CompletableFuture<Response>();
          pending.add(answer);
          String n = r.pathParam("n");
          return Response.later(answer.thenApply(ignored -> Response.ok(Map.of("n", n))));
        });
    http.start();
    http.routesComplete();
    var client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4))
            .build();
    var answers = new ArrayList<CompletableFuture<HttpResponse<String>>>();
    // sent a hundred at a time, each hundred once the last is waiting: the test measures holding,
    // not how fast this machine accepts a thousand connections at once
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (int i = 0; i < REQUESTS; i++) {
      answers.add(
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(http.baseUrl() + "/later/" + i)).build(),
              HttpResponse.BodyHandlers.ofString()));
      if ((i + 1) % 100 == 0) {
        while (http.waiting() < i + 1 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
      }
    }
    assertEquals(REQUESTS, http.waiting(), "requests awaited at once");
    // a request counts as awaited from inside its handler, and the handler's thread is counted
    // free a moment later, once the handler has returned: wait for that moment, not longer
    while (http.inFlight() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(0, http.inFlight(), "threads held by awaited requests");
    assertTrue(http.takeMostWaiting() >= REQUESTS);
    pending.forEach(p -> p.complete(null));
    for (int i = 0; i < REQUESTS; i++) {
      var r = answers.get(i).get();
      assertEquals(200, r.statusCode());
      assertEquals("{\"n\":\"" + i + "\"}", r.body());
    }
    assertEquals(0, http.waiting());
  }

  @Test
  void aRefusalCompletingTheWaitIsItsAnswer() throws Exception {
    http = new HttpService("127.0.0.1", 0);
    http.route(
            "GET",
            "/refused",
            r ->
                Response.later(
                    CompletableFuture.supplyAsync(
                        () -> {
                          throw ApiException.notFound("no such thing");
                        })))
        .route(
            "GET",
            "/bug",
            r ->
                Response.later(
                    CompletableFuture.supplyAsync(
                        () -> {
                          throw new IllegalStateException("secret detail");
                        })));
    http.start();
    http.routesComplete();
    var client = HttpClient.newHttpClient();
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (String path : List.of("/refused", "/bug")) {
      answers.add(
          client.send(
              HttpRequest.newBuilder(URI.create(http.baseUrl() + path)).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    assertEquals(404, answers.get(0).statusCode());
    assertTrue(answers.get(0).body().contains("no such thing"));
    assertEquals(500, answers.get(1).statusCode());
    assertTrue(!answers.get(1).body().contains("secret detail"));
  }
}
