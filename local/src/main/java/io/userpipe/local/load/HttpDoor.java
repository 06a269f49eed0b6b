package io.userpipe.local.load;

import io.userpipe.local.LocalDemo;
import io.userpipe.schemas.CommandIds;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The load through the HTTP door: {@code POST /v2/users}, at most {@code concurrency} requests in
 * flight, each on a worker thread of its own with one kept-alive connection ({@link PlainHttp}).
 * The API answers a create once the user is readable (its read-your-writes contract), so a user's
 * latency is its request's: from the send to the 200.
 */
final class HttpDoor {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  // for the scrapes of /metrics only; HTTP/1.1 as platforms' clients speak it
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI usersUrl;
  private final URI metrics;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicInteger mostOutstanding = new AtomicInteger();
  private final AtomicInteger resent = new AtomicInteger();
  private final String authorization;
  private final int concurrency;

  HttpDoor(String baseUrl, String clientId, String apiKey, int concurrency) {
    this.usersUrl = URI.create(baseUrl + "/v2/users");
    // only the one gauge read here: a whole scrape renders the stack's 12,000 series
    this.metrics = URI.create(baseUrl + "/metrics?name%5B%5D=http_requests_awaited_peak");
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
    // one worker per request in flight, each with its own kept-alive connection: a worker takes
    // the next create when its last is answered
    var creates = new java.util.concurrent.SynchronousQueue<Create>();
    var workers = new ArrayList<Thread>();
    for (int w = 0; w < concurrency; w++) {
      var worker =
          new Thread(() -> work(creates, latency, users, failures), "load-http-" + (w + 1));
      worker.setDaemon(true);
      worker.start();
      workers.add(worker);
    }
    // this run's own idempotency keys: the check finds each create's result by its command id
    String run = java.util.UUID.randomUUID().toString();
    List<LoadCheck.Create> sent = new ArrayList<>();
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
      int i = from + n;
      String phone = LoadGenerator.phone(random, i);
      String key = "load-" + run + "-" + i;
      sent.add(
          new LoadCheck.Create(CommandIds.fromIdempotencyKey(LocalDemo.DEMO_PLATFORM, key), phone));
      creates.put(new Create(body(phone, i), key));
      if (System.nanoTime() - lastReport > 2_000_000_000L) {
        System.out.printf("  %,d of %,d creates sent over HTTP%n", n, count);
        lastReport = System.nanoTime();
      }
    }
    for (int w = 0; w < concurrency; w++) {
      creates.put(Create.DONE); // taken by each worker once its last create is answered
    }
    for (Thread worker : workers) {
      worker.join();
    }
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
    return new LoadGenerator.Phase(latency, null, seconds, users.size(), sent);
  }

  /** A create to send: its body and idempotency key; {@link #DONE} ends a worker. */
  private record Create(String body, String key) {
    static final Create DONE = new Create(null, null);
  }

  /** A worker: sends creates one at a time over its own connection until {@link Create#DONE}. */
  private void work(
      java.util.concurrent.BlockingQueue<Create> creates,
      Histogram latency,
      Map<String, Boolean> users,
      AtomicInteger failures) {
    try (var http = new PlainHttp(usersUrl.getHost(), usersUrl.getPort(), TIMEOUT)) {
      for (Create create = creates.take(); create != Create.DONE; create = creates.take()) {
        long sentAt = System.nanoTime();
        mostOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
        PlainHttp.Answer answer = null;
        Exception error = null;
        try {
          answer = send(http, create);
          if (answer.status() == 202) {
            // not decided within the API's wait: follow the command, as a client would
            String status = statusPath(answer.body());
            do {
              Thread.sleep(50);
              answer = follow(http, status);
            } while (answer.status() == 202 || answer.status() == 404);
          }
        } catch (IOException | RuntimeException e) {
          // a failed create, counted; the worker goes on (one that died would leave the run
          // waiting for it)
          error = e;
        } finally {
          outstanding.decrementAndGet();
        }
        finish(answer, error, sentAt, latency, users, failures);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Sends a create; one that found its kept-alive connection closed under it (no answer at all) is
   * sent again once, as a client does with an idempotency key: the same key, so at most one user.
   */
  private PlainHttp.Answer send(PlainHttp http, Create create) throws IOException {
    Map<String, String> headers =
        Map.of(
            "Authorization",
            authorization,
            "Idempotency-Key",
            create.key(),
            "Content-Type",
            "application/json");
    try {
      return http.exchange("POST", usersUrl.getRawPath(), headers, create.body());
    } catch (PlainHttp.NoAnswer e) {
      resent.incrementAndGet();
      return http.exchange("POST", usersUrl.getRawPath(), headers, create.body());
    }
  }

  /**
   * Reads the door's {@code http_requests_awaited_peak} every 2 s (each read restarts the peak, so
   * none is missed) and keeps the highest. It asks for that gauge alone: a whole scrape renders
   * some 12,000 series, and every 2 s that was a quarter of the HTTP threads' CPU samples (JFR).
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

  /** The command's status; asked again on a new connection if the kept-alive one had closed. */
  private PlainHttp.Answer follow(PlainHttp http, String status) throws IOException {
    Map<String, String> headers = Map.of("Authorization", authorization);
    try {
      return http.exchange("GET", status, headers, null);
    } catch (PlainHttp.NoAnswer e) {
      return http.exchange("GET", status, headers, null);
    }
  }

  /** Records an answer: a 200 naming a user (a create's, or a decided command's status). */
  private static void finish(
      PlainHttp.Answer answer,
      Exception error,
      long sentAt,
      Histogram latency,
      Map<String, Boolean> users,
      AtomicInteger failures) {
    String body = error == null ? answer.body() : "";
    if (error != null
        || answer.status() != 200
        || !body.contains("\"id\":\"") && !body.contains("\"user_id\":\"")) {
      if (failures.getAndIncrement() < 5) {
        System.out.println(
            "  HTTP create failed: " + (error != null ? error : answer.status() + " " + body));
      }
      return;
    }
    synchronized (latency) {
      latency.recordValue(Math.max(1, (System.nanoTime() - sentAt) / 1000));
    }
    users.put(userId(body), Boolean.TRUE);
  }

  /** The user a create's answer ({@code id}) or a command's status ({@code user_id}) names. */
  private static String userId(String body) {
    String field = body.contains("\"user_id\":\"") ? "\"user_id\":\"" : "\"id\":\"";
    int at = body.indexOf(field) + field.length();
    return body.substring(at, body.indexOf('"', at));
  }

  /** The path of the status URL a 202 names. */
  private String statusPath(String body) {
    String field = "\"status_url\":\"";
    int at = body.indexOf(field) + field.length();
    URI status = usersUrl.resolve(body.substring(at, body.indexOf('"', at)));
    return status.getRawPath() + (status.getRawQuery() == null ? "" : "?" + status.getRawQuery());
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
