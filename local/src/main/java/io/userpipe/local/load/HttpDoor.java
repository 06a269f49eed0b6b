package io.userpipe.local.load;

import io.userpipe.local.LocalDemo;
import io.userpipe.schemas.CommandIds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The load through the HTTP door: {@code POST /v2/users}, at most {@code concurrency} requests in
 * flight. The API answers a create once the user is readable (its read-your-writes contract), so a
 * user's latency is its request's: from the send to the 200.
 */
final class HttpDoor {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  // HTTP/1.1 as platforms' clients speak it: the JDK client's default (HTTP/2, asked for by an
  // upgrade on a plain connection) held concurrent requests back behind the first one's upgrade
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI users;
  private final URI metrics;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicInteger mostOutstanding = new AtomicInteger();
  private final AtomicInteger resent = new AtomicInteger();
  private final String authorization;
  private final int concurrency;

  HttpDoor(String baseUrl, String clientId, String apiKey, int concurrency) {
    this.users = URI.create(baseUrl + "/v2/users");
    this.metrics = URI.create(baseUrl + "/metrics");
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((clientId + ":" + apiKey).getBytes(StandardCharsets.UTF_8));
    this.concurrency = concurrency;
  }

  /** Creates users {@code from} to {@code from + count}; fails if any answer is not a 200. */
  LoadGenerator.Phase run(int from, int count, int rate) throws InterruptedException {
    Histogram latency = new Histogram(3_600_000_000L, 3);
    Map<String, Boolean> users = new ConcurrentHashMap<>();
    AtomicInteger failures = new AtomicInteger();
    Semaphore inFlight = new Semaphore(concurrency);
    // this run's own idempotency keys: the check finds each create's result by its command id
    String run = java.util.UUID.randomUUID().toString();
    List<LoadCheck.Create> creates = new ArrayList<>();
    var random = new Random(from + 1);
    long start = System.nanoTime();
    long lastReport = start;
    mostOutstanding.set(0);
    var awaitedPeak = new AtomicInteger();
    var scraper = scrapeAwaitedPeak(awaitedPeak);
    for (int n = 0; n < count; n++) {
      if (rate > 0) {
        long due = start + (long) (n * 1e9 / rate);
        while (System.nanoTime() < due) {
          LockSupport.parkNanos(due - System.nanoTime());
        }
      }
      inFlight.acquire();
      int i = from + n;
      String phone = LoadGenerator.phone(random, i);
      String body = body(phone, i);
      String key = "load-" + run + "-" + i;
      creates.add(
          new LoadCheck.Create(CommandIds.fromIdempotencyKey(LocalDemo.DEMO_PLATFORM, key), phone));
      long sentAt = System.nanoTime();
      mostOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
      send(create(body, key), true)
          .whenComplete(
              (response, error) -> {
                if (error == null && response.statusCode() == 202) {
                  // not decided within the API's wait: follow the command, as a client would
                  follow(statusUrl(response.body()), sentAt, latency, users, failures, inFlight);
                } else {
                  finish(response, error, sentAt, latency, users, failures, inFlight);
                }
              });
      if (System.nanoTime() - lastReport > 2_000_000_000L) {
        System.out.printf("  %,d of %,d creates sent over HTTP%n", n, count);
        lastReport = System.nanoTime();
      }
    }
    inFlight.acquire(concurrency); // every answer is in
    double seconds = (System.nanoTime() - start) / 1e9;
    scraper.interrupt();
    System.out.printf(
        Locale.ROOT,
        "  requests in flight at once: %,d at most (client side); answers awaited by the door at"
            + " once, holding no thread: %,d at most (its http_requests_awaited_peak)%n",
        mostOutstanding.get(),
        awaitedPeak.get());
    System.out.printf(
        Locale.ROOT,
        "  creates sent again after a connection closed under them (same idempotency key): %,d%n",
        resent.getAndSet(0));
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " HTTP creates failed");
    }
    System.out.printf(
        Locale.ROOT, "  %,d answers naming %,d distinct users%n", count, users.size());
    return new LoadGenerator.Phase(latency, null, seconds, users.size(), creates);
  }

  /**
   * Sends a create; one that found its kept-alive connection closed under it (no answer at all) is
   * sent again once, as a client does with an idempotency key: the same key, so at most one user.
   */
  private java.util.concurrent.CompletableFuture<HttpResponse<String>> send(
      HttpRequest create, boolean again) {
    return client
        .sendAsync(create, HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, error) -> {
              if (error != null && again && causedBy(error, java.io.IOException.class)) {
                resent.incrementAndGet();
                return send(create, false);
              }
              return error == null
                  ? java.util.concurrent.CompletableFuture.completedFuture(response)
                  : java.util.concurrent.CompletableFuture.<HttpResponse<String>>failedFuture(
                      error);
            })
        .thenCompose(f -> f);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads the door's {@code http_requests_awaited_peak} every 2 s (each read restarts the peak, so
   * none is missed) and keeps the highest. A scrape renders every metric of the stack, some 12,000
   * series: at two a second it took a fifth of the stack's CPU samples before it was made cheaper.
   */
  private Thread scrapeAwaitedPeak(AtomicInteger peak) {
    var scraper =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  String text =
                      client
                          .send(
                              HttpRequest.newBuilder(metrics).timeout(TIMEOUT).build(),
                              HttpResponse.BodyHandlers.ofString())
                          .body();
                  text.lines()
                      .filter(l -> l.startsWith("http_requests_awaited_peak"))
                      .findFirst()
                      .map(l -> (int) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                      .ifPresent(v -> peak.accumulateAndGet(v, Math::max));
                  Thread.sleep(2_000);
                } catch (InterruptedException e) {
                  return;
                } catch (java.io.IOException | RuntimeException e) {
                  // a missed scrape: the next one reads the peak since the last that answered
                }
              }
            },
            "scrape-awaited");
    scraper.setDaemon(true);
    scraper.start();
    return scraper;
  }

  /** Asks for the command's status every 50 ms until it is decided. */
  private void follow(
      URI status,
      long sentAt,
      Histogram latency,
      Map<String, Boolean> users,
      AtomicInteger failures,
      Semaphore inFlight) {
    java.util.concurrent.CompletableFuture.delayedExecutor(
            50, java.util.concurrent.TimeUnit.MILLISECONDS)
        .execute(
            () ->
                client
                    .sendAsync(get(status), HttpResponse.BodyHandlers.ofString())
                    .whenComplete(
                        (response, error) -> {
                          if (error == null
                              && (response.statusCode() == 202 || response.statusCode() == 404)) {
                            follow(status, sentAt, latency, users, failures, inFlight);
                          } else {
                            finish(response, error, sentAt, latency, users, failures, inFlight);
                          }
                        }));
  }

  /** Records an answer: a 200 naming a user (a create's, or a decided command's status). */
  private void finish(
      HttpResponse<String> response,
      Throwable error,
      long sentAt,
      Histogram latency,
      Map<String, Boolean> users,
      AtomicInteger failures,
      Semaphore inFlight) {
    try {
      outstanding.decrementAndGet();
      String body = error == null ? response.body() : "";
      if (error != null
          || response.statusCode() != 200
          || !body.contains("\"id\":\"") && !body.contains("\"user_id\":\"")) {
        if (failures.getAndIncrement() < 5) {
          System.out.println(
              "  HTTP create failed: "
                  + (error != null ? error : response.statusCode() + " " + body));
        }
        return;
      }
      synchronized (latency) {
        latency.recordValue(Math.max(1, (System.nanoTime() - sentAt) / 1000));
      }
      users.put(userId(body), Boolean.TRUE);
    } finally {
      inFlight.release();
    }
  }

  /** The user a create's answer ({@code id}) or a command's status ({@code user_id}) names. */
  private static String userId(String body) {
    String field = body.contains("\"user_id\":\"") ? "\"user_id\":\"" : "\"id\":\"";
    int at = body.indexOf(field) + field.length();
    return body.substring(at, body.indexOf('"', at));
  }

  private URI statusUrl(String body) {
    String field = "\"status_url\":\"";
    int at = body.indexOf(field) + field.length();
    return users.resolve(body.substring(at, body.indexOf('"', at)));
  }

  private HttpRequest get(URI uri) {
    return HttpRequest.newBuilder(uri)
        .timeout(TIMEOUT)
        .header("Authorization", authorization)
        .build();
  }

  private HttpRequest create(String body, String idempotencyKey) {
    return HttpRequest.newBuilder(users)
        .timeout(TIMEOUT)
        .header("Authorization", authorization)
        .header("Idempotency-Key", idempotencyKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static String body(String phone, int i) {
    boolean listed = LoadGenerator.listed(i);
    return String.format(
        Locale.ROOT,
        "{\"first_name\":\"%s\",\"last_name\":\"%s\",\"email\":\"load%d@example.com\","
            + "\"country_code\":\"1\",\"phone_number\":\"%s\"}",
        listed ? "Nicolas" : "Ada",
        listed ? "Maduro Moros" : "Lovelace",
        i,
        phone);
  }
}
