package io.userpipe.projections.rebuild;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.TopicCreator;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a rebuild's replay has come, read from the rebuilt service's committed offsets (what its
 * views are known to hold), and a reporter that says so every few seconds until it is done.
 */
public final class ReplayProgress implements AutoCloseable {

  /** Records replayed of those before the marks; complete when every partition reached its mark. */
  public record Snapshot(long replayed, long total, boolean complete) {
    public double percent() {
      return total == 0 ? 100.0 : 100.0 * replayed / total;
    }
  }

  private final Admin admin;
  private final String group;
  private final ReplayBoundary boundary;

  public ReplayProgress(AppConfig config, String group, ReplayBoundary boundary) {
    this.admin = Admin.create(TopicCreator.commonClientProps(config));
    this.group = group;
    this.boundary = boundary;
  }

  static Snapshot of(ReplayBoundary boundary, Map<TopicPartition, Long> committed) {
    long replayed = 0;
    boolean complete = true;
    for (var e : boundary.ranges().entrySet()) {
      ReplayBoundary.Range range = e.getValue();
      long at = committed.getOrDefault(e.getKey(), range.replayFrom());
      replayed += Math.max(0, Math.min(at, range.publishedBefore()) - range.replayFrom());
      complete &= at >= range.publishedBefore();
    }
    return new Snapshot(replayed, boundary.recordsToReplay(), complete);
  }

  /** The replay's progress now. */
  public Snapshot measure() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      var offsets = new java.util.HashMap<TopicPartition, Long>();
      committed.forEach((tp, o) -> offsets.put(tp, o == null ? null : o.offset()));
      offsets.values().removeIf(java.util.Objects::isNull);
      return of(boundary, offsets);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + group + "'s offsets", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot read " + group + "'s offsets: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * Measures every {@code every}, tells {@code gate} each measure and {@code out} every {@code
   * reportEvery}, until the replay is complete or {@code timeout} has passed; answers the last
   * measure. A measure that fails (the cluster unreachable) is retried.
   */
  public Snapshot follow(
      Duration every, Duration reportEvery, Duration timeout, ReplayGate gate, Consumer<String> out)
      throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    long nextReport = started;
    Snapshot first = null;
    Snapshot now = null;
    while (System.nanoTime() < deadline) {
      try {
        now = measure();
      } catch (IllegalStateException e) {
        if (System.nanoTime() >= nextReport) {
          out.accept("cannot measure the replay's progress yet: " + e.getMessage());
          nextReport = System.nanoTime() + reportEvery.toNanos();
        }
        Thread.sleep(every.toMillis());
        continue;
      }
      gate.update(now);
      if (first == null) {
        first = now;
      }
      if (now.complete()) {
        out.accept(
            String.format(
                Locale.ROOT,
                "replay complete: %,d records folded again (%.1f s here); compliance events are"
                    + " published from the marks on",
                now.total(),
                (System.nanoTime() - started) / 1e9));
        return now;
      }
      if (System.nanoTime() >= nextReport) {
        out.accept(describe(now, first, System.nanoTime() - started));
        nextReport = System.nanoTime() + reportEvery.toNanos();
      }
      Thread.sleep(every.toMillis());
    }
    out.accept("stopped waiting for the replay after " + timeout);
    return now == null ? new Snapshot(0, boundary.recordsToReplay(), false) : now;
  }

  static String describe(Snapshot now, Snapshot first, long elapsedNanos) {
    double seconds = elapsedNanos / 1e9;
    double rate = seconds <= 0 ? 0 : (now.replayed() - first.replayed()) / seconds;
    String eta =
        rate <= 0
            ? "rate not known yet"
            : String.format(
                Locale.ROOT, "about %.0f s left", (now.total() - now.replayed()) / rate);
    return String.format(
        Locale.ROOT,
        "replaying views: %,d of %,d records (%.1f%%), %,.0f records/s, %s",
        now.replayed(),
        now.total(),
        now.percent(),
        rate,
        eta);
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
