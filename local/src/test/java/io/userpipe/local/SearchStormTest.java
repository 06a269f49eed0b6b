package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.ofac.http.OfacApi;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.testing.Ports;
import io.userpipe.runtime.testing.SharedKafka;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A storm of OFAC searches against the whole local stack in its own process with its normal heap
 * (bin/run-local's JVM options). 150 searches once drove it into continuous full GCs, because each
 * of the 64 HTTP threads kept a 6 MB search scratch; now the scratch is pooled. The platform's rate
 * limit is lifted here, so that every search really runs.
 */
class SearchStormTest {

  private static final int SEARCHES = 1_000;
  private static final int CLIENTS = 64;
  private static final List<String> FIRST =
      List.of("John", "Maria", "Nicolas", "Wei", "Fatima", "Nguyen Van", "Olusegun", "Priya");
  private static final List<String> LAST =
      List.of("Smith", "Garcia", "Maduro Moros", "Zhang", "Al Hassan", "Anh", "Adeyemi", "Patel");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String auth =
      "Basic "
          + Base64.getEncoder()
              .encodeToString(
                  (LocalDemo.DEMO_CLIENT_ID + ":" + LocalDemo.DEMO_API_KEY)
                      .getBytes(StandardCharsets.UTF_8));

  @Test
  void aThousandSearchesFromSixtyFourClientsCauseNoFullGcStormAndCreatesStillAnswer()
      throws Exception {
    Path dir = SharedKafka.tempDir("storm");
    Path logs = Path.of("target", "storm-logs", Long.toString(System.currentTimeMillis()));
    ServiceProcess.writeLogbackConfig(logs);
    int port = Ports.freeLoopbackPort();
    var stack =
        new ServiceProcess(
            "stack",
            LocalMain.class.getName(),
            Map.of(
                "LOCAL_DATA_DIR",
                dir.resolve("data").toString(),
                "LOCAL_KAFKA_PORT",
                Integer.toString(Ports.freeLoopbackPort()),
                AppConfig.HTTP_PORT,
                Integer.toString(port),
                OfacApi.OFAC_SEARCHES_PER_SECOND,
                "100000",
                OfacApi.OFAC_SEARCH_BURST,
                "100000"),
            logs,
            "userpipe is up",
            List.of(ServiceProcess.STACK_JVM_OPTIONS));
    String base = "http://127.0.0.1:" + port;
    try (stack) {
      stack.start(true, Duration.ofSeconds(180));
      long fullGcsBefore = fullGcs(base);

      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      var pool = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<Future<?>> searches = new ArrayList<>();
        for (int i = 0; i < SEARCHES; i++) {
          String name = FIRST.get(i % FIRST.size()) + " " + LAST.get((i / FIRST.size()) % 8);
          searches.add(
              pool.submit(
                  () -> {
                    var answer =
                        get(
                            base
                                + "/v2/ofac/search?name="
                                + URLEncoder.encode(name, StandardCharsets.UTF_8));
                    statuses
                        .computeIfAbsent(answer.statusCode(), s -> new AtomicInteger())
                        .incrementAndGet();
                    return null;
                  }));
        }
        for (var search : searches) {
          search.get();
        }
      } finally {
        pool.shutdownNow();
      }
      long fullGcs = fullGcs(base) - fullGcsBefore;
      var counted = new TreeMap<Integer, Integer>();
      statuses.forEach((status, n) -> counted.put(status, n.get()));
      System.out.println("search storm: statuses " + counted + ", full GCs " + fullGcs);

      assertEquals(Map.of(200, SEARCHES), counted, "every search answered");
      // before the scratch was pooled, eight clients caused 3,250 full GCs
      assertTrue(fullGcs < 3, "full GCs during the storm: " + fullGcs);

      // a create is decided and its view served within the server's own wait (else 202)
      var created =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/v2/users"))
                  .header("Authorization", auth)
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(30))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          """
                          {"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com",
                           "country_code":"1","phone_number":"%s"}"""
                              .formatted(TestPhones.next())))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, created.statusCode(), created.body());
      assertTrue(created.body().contains("\"first_name\":\"Ada\""), created.body());
    }
  }

  /** Full collections of the stack's JVM so far, from its /metrics (G1's "Old Generation"). */
  private long fullGcs(String base) throws Exception {
    String metrics = get(base + "/metrics").body();
    var line =
        Pattern.compile("(?m)^jvm_gc_collections_total\\{gc=\"G1 Old Generation\"} ([0-9.E]+)$")
            .matcher(metrics);
    assertTrue(line.find(), "the stack's /metrics counts G1's full collections");
    return (long) Double.parseDouble(line.group(1));
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", auth)
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
