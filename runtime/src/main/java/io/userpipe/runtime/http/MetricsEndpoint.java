package io.userpipe.runtime.http;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * {@code GET /metrics} in the Prometheus text format: every numeric metric of the registered Kafka
 * clients (Streams apps, producers, consumers) as a gauge named {@code kafka_<group>_<name>} with
 * its tags as labels — throughput, lag, commit latency, RocksDB and cache use — for a scraper; and
 * the JVM's own: heap in use and its limit, collections and their time per collector (a full-GC
 * storm shows there first), live threads, uptime. A service adds values of its own that no Kafka
 * client knows (the age of the OFAC list in force, say) as named gauges and counters.
 */
public final class MetricsEndpoint {

  private final Map<String, Supplier<Map<MetricName, ? extends Metric>>> sources =
      new ConcurrentHashMap<>();
  private final Map<String, Own> own = new ConcurrentHashMap<>();

  private record Own(String type, String service, DoubleSupplier value) {}

  /**
   * Each source's series names, kept from one scrape to the next; at most about twice as many as
   * the source has metrics (plus 1,000), then made again.
   */
  private final Map<String, Map<MetricName, Series>> series = new ConcurrentHashMap<>();

  /** A named source of Kafka metrics, e.g. {@code streams::metrics}. */
  public MetricsEndpoint register(
      String service, Supplier<Map<MetricName, ? extends Metric>> metrics) {
    sources.put(service, metrics);
    return this;
  }

  /** A value of the service's own that can go up and down, as {@code metric{service=...}}. */
  public MetricsEndpoint registerGauge(String service, String metric, DoubleSupplier value) {
    own.put(sanitize(metric), new Own("gauge", service, value));
    return this;
  }

  /** A count of the service's own that only grows (name it {@code ..._total}). */
  public MetricsEndpoint registerCounter(String service, String metric, DoubleSupplier value) {
    own.put(sanitize(metric), new Own("counter", service, value));
    return this;
  }

  /**
   * Serves {@code /metrics} on {@code http}, with the door's own gauges: requests holding a thread
   * ({@code http_requests_in_flight}), answers awaited without one ({@code http_requests_awaited}),
   * and the most awaited at once since the previous scrape ({@code http_requests_awaited_peak}).
   */
  public void mount(HttpService http) {
    registerGauge("http", "http_requests_in_flight", http::inFlight);
    registerGauge("http", "http_requests_awaited", http::waiting);
    registerGauge("http", "http_requests_awaited_peak", http::takeMostWaiting);
    http.route(
        "GET",
        "/metrics",
        request ->
            Response.raw(
                200, "text/plain; version=0.0.4", render(Set.copyOf(request.queryAll("name[]")))));
  }

  byte[] render() {
    return render(Set.of());
  }

  /**
   * The series of the metric families named (all when none is): {@code /metrics?name[]=a&name[]=b},
   * as Prometheus' own client libraries filter a scrape. A scraper that wants one gauge then does
   * not pay for the stack's 12,000 series: bin/load reads {@code http_requests_awaited_peak} so.
   */
  byte[] render(Set<String> names) {
    var lines = new TreeMap<String, StringBuilder>();
    for (var source : new TreeMap<>(sources).entrySet()) {
      var metrics = source.getValue().get();
      var known = series.computeIfAbsent(source.getKey(), s -> new ConcurrentHashMap<>());
      if (known.size() > 2 * metrics.size() + 1_000) {
        // tasks and clients come and go with their metrics: forget the names of the gone
        known.clear();
      }
      for (var entry : metrics.entrySet()) {
        Series named =
            known.computeIfAbsent(entry.getKey(), name -> Series.of(source.getKey(), name));
        if (!names.isEmpty() && !names.contains(named.metric())) {
          continue;
        }
        Object value = entry.getValue().metricValue();
        if (!(value instanceof Number number) || Double.isNaN(number.doubleValue())) {
          continue;
        }
        lines
            .computeIfAbsent(
                named.metric(), m -> new StringBuilder("# TYPE ").append(m).append(" gauge\n"))
            .append(named.prefix())
            .append(number.doubleValue())
            .append('\n');
      }
    }
    var out = new StringBuilder();
    lines.values().forEach(out::append);
    appendOwn(out, names);
    appendJvm(out, names);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Series names kept now, over every source. */
  int seriesKept() {
    return series.values().stream().mapToInt(Map::size).sum();
  }

  /**
   * A Kafka metric's Prometheus name and the text of its series up to the value ({@code
   * name{labels} }), made once per metric: a scrape renders some 12,000 series of the local stack,
   * and sanitizing every name and tag on every scrape cost more CPU than the rest of the scrape.
   */
  private record Series(String metric, String prefix) {
    static Series of(String service, MetricName name) {
      String metric = sanitize("kafka_" + name.group() + "_" + name.name());
      var text =
          new StringBuilder(metric).append("{service=\"").append(escape(service)).append('"');
      for (var tag : new TreeMap<>(name.tags()).entrySet()) {
        text.append(',')
            .append(sanitize(tag.getKey()))
            .append("=\"")
            .append(escape(tag.getValue()))
            .append('"');
      }
      return new Series(metric, text.append("} ").toString());
    }
  }

  private void appendOwn(StringBuilder out, Set<String> names) {
    for (var metric : new TreeMap<>(own).entrySet()) {
      if (!names.isEmpty() && !names.contains(metric.getKey())) {
        continue;
      }
      double value;
      try {
        value = metric.getValue().value().getAsDouble();
      } catch (RuntimeException e) {
        continue; // a value that cannot be read now is left out, not a failed scrape
      }
      if (Double.isNaN(value)) {
        continue;
      }
      out.append("# TYPE ")
          .append(metric.getKey())
          .append(' ')
          .append(metric.getValue().type())
          .append('\n')
          .append(metric.getKey())
          .append("{service=\"")
          .append(escape(metric.getValue().service()))
          .append("\"} ")
          .append(value)
          .append('\n');
    }
  }

  private static void appendJvm(StringBuilder out, Set<String> names) {
    var memory = ManagementFactory.getMemoryMXBean();
    var collectors = ManagementFactory.getGarbageCollectorMXBeans();
    family(
        out,
        names,
        "jvm_memory_used_bytes",
        "gauge",
        series -> {
          series.put("{area=\"heap\"}", (double) memory.getHeapMemoryUsage().getUsed());
          series.put("{area=\"nonheap\"}", (double) memory.getNonHeapMemoryUsage().getUsed());
        });
    family(
        out,
        names,
        "jvm_memory_max_bytes",
        "gauge",
        series -> series.put("{area=\"heap\"}", (double) memory.getHeapMemoryUsage().getMax()));
    family(
        out,
        names,
        "jvm_gc_collections_total",
        "counter",
        series ->
            collectors.forEach(
                gc -> series.put(gcLabel(gc.getName()), (double) gc.getCollectionCount())));
    family(
        out,
        names,
        "jvm_gc_collection_seconds_total",
        "counter",
        series ->
            collectors.forEach(
                gc -> series.put(gcLabel(gc.getName()), gc.getCollectionTime() / 1000.0)));
    family(
        out,
        names,
        "jvm_threads_live",
        "gauge",
        series -> series.put("", (double) ManagementFactory.getThreadMXBean().getThreadCount()));
    family(
        out,
        names,
        "process_uptime_seconds",
        "gauge",
        series -> series.put("", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0));
  }

  /**
   * One family of series ({@code # TYPE} line, then {@code name{labels} value} per series, in the
   * order given), when the scrape wants it; its values are read only then.
   */
  private static void family(
      StringBuilder out,
      Set<String> names,
      String family,
      String type,
      java.util.function.Consumer<Map<String, Double>> values) {
    if (!names.isEmpty() && !names.contains(family)) {
      return;
    }
    var series = new java.util.LinkedHashMap<String, Double>();
    values.accept(series);
    out.append("# TYPE ").append(family).append(' ').append(type).append('\n');
    series.forEach(
        (labels, value) ->
            out.append(family).append(labels).append(' ').append(value.doubleValue()).append('\n'));
  }

  private static String gcLabel(String collector) {
    return "{gc=\"" + escape(collector) + "\"}";
  }

  /** Lower case, and every character but {@code a-z}, {@code 0-9} and {@code _} as {@code _}. */
  static String sanitize(String name) {
    var out = new char[name.length()];
    for (int i = 0; i < out.length; i++) {
      char c = name.charAt(i);
      char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
      boolean kept =
          (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '_';
      out[i] = kept ? lower : '_';
    }
    return new String(out);
  }

  private static String escape(String value) {
    return value == null
        ? ""
        : value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
