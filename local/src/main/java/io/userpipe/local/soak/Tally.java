package io.userpipe.local.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Answers by kind of request: a latency histogram (µs) and a count per outcome (an HTTP status, or
 * a word for a request that got none: {@code timeout}, {@code io-error}). Thread-safe.
 */
final class Tally {

  private static final long HIGHEST_MICROS = 3_600_000_000L;

  private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
  private final List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();

  private static final class Kind {
    final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
    final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  }

  private Kind kind(String name) {
    return kinds.computeIfAbsent(
        name,
        n -> {
          order.add(n);
          return new Kind();
        });
  }

  /** One answer of {@code kind}: its outcome and how long it took. */
  void record(String kind, String outcome, long micros) {
    Kind k = kind(kind);
    synchronized (k.latency) {
      k.latency.recordValue(Math.max(1, Math.min(micros, HIGHEST_MICROS)));
    }
    k.outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
  }

  void record(String kind, int status, long micros) {
    record(kind, Integer.toString(status), micros);
  }

  long count(String kind) {
    Kind k = kinds.get(kind);
    if (k == null) {
      return 0;
    }
    synchronized (k.latency) {
      return k.latency.getTotalCount();
    }
  }

  /** Answers of {@code kind} with {@code outcome}. */
  long count(String kind, String outcome) {
    Kind k = kinds.get(kind);
    LongAdder n = k == null ? null : k.outcomes.get(outcome);
    return n == null ? 0 : n.sum();
  }

  /** Answers of every kind. */
  long total() {
    long n = 0;
    for (String name : order) {
      n += count(name);
    }
    return n;
  }

  /** Answers of every kind with {@code outcome}. */
  long countOutcome(String outcome) {
    long n = 0;
    for (String name : order) {
      n += count(name, outcome);
    }
    return n;
  }

  /** Answers of every kind whose outcome is a 5xx other than those named. */
  Map<String, Long> serverErrors(String... expected) {
    var errors = new TreeMap<String, Long>();
    for (String name : order) {
      for (var e : kinds.get(name).outcomes.entrySet()) {
        if (e.getKey().startsWith("5") && !List.of(expected).contains(e.getKey())) {
          errors.merge(name + " " + e.getKey(), e.getValue().sum(), Long::sum);
        }
      }
    }
    return errors;
  }

  /** A copy of the latencies of {@code kind} (empty if none). */
  Histogram latency(String kind) {
    Kind k = kinds.get(kind);
    if (k == null) {
      return new Histogram(HIGHEST_MICROS, 3);
    }
    synchronized (k.latency) {
      return k.latency.copy();
    }
  }

  /**
   * A table, one line per kind in the order they first appeared: requests, p50, p99 and max in ms,
   * and the count of each outcome.
   */
  List<String> table() {
    var lines = new ArrayList<String>();
    lines.add(
        String.format(
            Locale.ROOT,
            "%-26s %9s %9s %9s %9s  %s",
            "kind",
            "answers",
            "p50 ms",
            "p99 ms",
            "max ms",
            "by status"));
    for (String name : order) {
      Kind k = kinds.get(name);
      Histogram h;
      synchronized (k.latency) {
        h = k.latency.copy();
      }
      var outcomes = new TreeMap<String, Long>();
      k.outcomes.forEach((o, n) -> outcomes.put(o, n.sum()));
      lines.add(
          String.format(
              Locale.ROOT,
              "%-26s %,9d %9s %9s %9s  %s",
              name,
              h.getTotalCount(),
              millis(h, 50),
              millis(h, 99),
              h.getTotalCount() == 0 ? "-" : millis(h.getMaxValue()),
              outcomes(outcomes)));
    }
    return lines;
  }

  /** {@code "200: 1,234, 429: 5"}. */
  static String outcomes(Map<String, Long> outcomes) {
    var parts = new ArrayList<String>();
    outcomes.forEach((o, n) -> parts.add(String.format(Locale.ROOT, "%s: %,d", o, n)));
    return String.join(", ", parts);
  }

  /** A percentile of a histogram of µs, in ms with one decimal ("-" when empty). */
  static String millis(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? "-" : millis(h.getValueAtPercentile(percentile));
  }

  static String millis(long micros) {
    return String.format(Locale.ROOT, "%,.1f", micros / 1000.0);
  }
}
