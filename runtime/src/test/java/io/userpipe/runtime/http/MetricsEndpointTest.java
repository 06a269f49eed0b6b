package io.userpipe.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

  @Test
  void theJvmsHeapCollectionsAndThreadsAreScrapedWithoutAnyKafkaSource() {
    String text = new String(new MetricsEndpoint().render(), StandardCharsets.UTF_8);

    assertTrue(matches(text, "jvm_memory_used_bytes\\{area=\"heap\"} \\d"), text);
    assertTrue(matches(text, "jvm_memory_max_bytes\\{area=\"heap\"} \\d"), text);
    assertTrue(matches(text, "jvm_threads_live \\d"), text);
    assertTrue(matches(text, "process_uptime_seconds \\d"), text);
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      String name = Pattern.quote(gc.getName());
      assertTrue(matches(text, "jvm_gc_collections_total\\{gc=\"" + name + "\"} \\d"), text);
      assertTrue(matches(text, "jvm_gc_collection_seconds_total\\{gc=\"" + name + "\"} \\d"), text);
    }
    assertTrue(text.contains("# TYPE jvm_gc_collections_total counter\n"), text);
  }

  @Test
  void aServicesOwnGaugesAndCountersAreScrapedWithTheirTypeAndAValueLeftOutWhileUnknown() {
    var metrics =
        new MetricsEndpoint()
            .registerGauge("ofac-screener", "ofac_list_age_seconds", () -> 90.0)
            .registerCounter("ofac-screener", "ofac_list_fetch_failures_total", () -> 2)
            .registerGauge("ofac-screener", "ofac_list_unknown_seconds", () -> Double.NaN);

    String text = new String(metrics.render(), StandardCharsets.UTF_8);

    assertTrue(text.contains("# TYPE ofac_list_age_seconds gauge\n"), text);
    assertTrue(matches(text, "ofac_list_age_seconds\\{service=\"ofac-screener\"} 90.0$"), text);
    assertTrue(text.contains("# TYPE ofac_list_fetch_failures_total counter\n"), text);
    assertTrue(
        matches(text, "ofac_list_fetch_failures_total\\{service=\"ofac-screener\"} 2.0$"), text);
    assertFalse(text.contains("ofac_list_unknown_seconds"), text);
  }

  @Test
  void kafkaMetricsAreScrapedWithSanitizedNamesSortedLabelsAndTheirValueOfEachScrape() {
    try (var kafka = new org.apache.kafka.common.metrics.Metrics()) {
      var value = new java.util.concurrent.atomic.AtomicLong(3);
      kafka.addMetric(
          kafka.metricName(
              "Process-Rate",
              "stream-task.Metrics",
              "",
              java.util.Map.of("task-id", "0_1", "A", "x\"y")),
          (org.apache.kafka.common.metrics.Measurable) (config, now) -> value.get());
      kafka.addMetric(
          kafka.metricName(
              "process-rate", "stream-task.metrics", "", java.util.Map.of("task-id", "0_2")),
          (org.apache.kafka.common.metrics.Measurable) (config, now) -> 7);
      var metrics = new MetricsEndpoint().register("projections", kafka::metrics);

      String first = new String(metrics.render(), StandardCharsets.UTF_8);
      value.set(5);
      String second = new String(metrics.render(), StandardCharsets.UTF_8);

      assertTrue(first.contains("# TYPE kafka_stream_task_metrics_process_rate gauge\n"), first);
      assertTrue(
          first.contains(
              "kafka_stream_task_metrics_process_rate{service=\"projections\",a=\"x\\\"y\","
                  + "task_id=\"0_1\"} 3.0\n"),
          first);
      assertTrue(
          first.contains(
              "kafka_stream_task_metrics_process_rate{service=\"projections\",task_id=\"0_2\"} 7.0\n"),
          first);
      assertTrue(
          second.contains("task_id=\"0_1\"} 5.0\n"), "each scrape reads the value: " + second);
    }
  }

  /** {@code name[]} narrows a scrape to the families named, as Prometheus' clients do. */
  @Test
  void aScrapeNamingFamiliesServesThoseOnly() throws Exception {
    try (var kafka = new org.apache.kafka.common.metrics.Metrics();
        var http = new HttpService("127.0.0.1", 0)) {
      kafka.addMetric(
          kafka.metricName("process-rate", "stream-task-metrics", "", java.util.Map.of()),
          (org.apache.kafka.common.metrics.Measurable) (config, now) -> 7);
      new MetricsEndpoint()
          .register("projections", kafka::metrics)
          .registerGauge("sms", "sms_queue_depth", () -> 12)
          .registerGauge("sms", "sms_queue_depth_peak", () -> 3)
          .mount(http);
      http.start();
      var client = java.net.http.HttpClient.newHttpClient();
      java.util.function.Function<String, String> scrape =
          query -> {
            try {
              return client
                  .send(
                      java.net.http.HttpRequest.newBuilder(
                              java.net.URI.create(http.baseUrl() + "/metrics" + query))
                          .build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString())
                  .body();
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          };

      String one = scrape.apply("?name%5B%5D=sms_queue_depth");
      assertEquals("# TYPE sms_queue_depth gauge\nsms_queue_depth{service=\"sms\"} 12.0\n", one);
      String two =
          scrape.apply(
              "?name%5B%5D=kafka_stream_task_metrics_process_rate&name%5B%5D=jvm_threads_live");
      assertTrue(
          two.contains("kafka_stream_task_metrics_process_rate{service=\"projections\"} 7.0\n"),
          two);
      assertTrue(matches(two, "jvm_threads_live \\d"), two);
      assertFalse(two.contains("sms_queue") || two.contains("http_requests"), two);
      assertFalse(two.contains("jvm_memory"), two);
      String all = scrape.apply("");
      assertTrue(
          all.contains("sms_queue_depth_peak{")
              && all.contains("http_requests_awaited{")
              && all.contains("jvm_memory"),
          all);
    }
  }

  /** Tasks and clients come and go: the names kept for the gone ones are bounded. */
  @Test
  void theSeriesNamesKeptAreBoundedWhileMetricsComeAndGo() {
    try (var kafka = new org.apache.kafka.common.metrics.Metrics()) {
      var metrics = new MetricsEndpoint().register("projections", kafka::metrics);
      for (int round = 0; round < 300; round++) {
        var names = new java.util.ArrayList<org.apache.kafka.common.MetricName>();
        for (int i = 0; i < 10; i++) {
          var name =
              kafka.metricName(
                  "process-rate",
                  "stream-task-metrics",
                  "",
                  java.util.Map.of("task-id", round + "_" + i));
          kafka.addMetric(name, (org.apache.kafka.common.metrics.Measurable) (config, now) -> 1);
          names.add(name);
        }
        String text = new String(metrics.render(), StandardCharsets.UTF_8);
        assertTrue(text.contains("task_id=\"" + round + "_9\"} 1.0\n"), text);
        names.forEach(kafka::removeMetric);
      }
      int present = kafka.metrics().size() + 10;
      assertTrue(
          metrics.seriesKept() <= 2 * present + 1_000,
          "kept " + metrics.seriesKept() + " names for " + present + " metrics");
    }
  }

  @Test
  void aNameIsSanitizedAsPrometheusWantsIt() {
    for (int c = 32; c < 127; c++) {
      String name = "a" + (char) c + "Z9";
      assertEquals(
          name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_"),
          MetricsEndpoint.sanitize(name),
          name);
    }
    assertEquals("caf__", MetricsEndpoint.sanitize("Café."));
  }

  private static boolean matches(String text, String line) {
    return Pattern.compile("(?m)^" + line).matcher(text).find();
  }
}
