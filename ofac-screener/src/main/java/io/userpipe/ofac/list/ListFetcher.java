package io.userpipe.ofac.list;

import io.userpipe.runtime.config.AppConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the SDN list on a schedule from {@code OFAC_LIST_SOURCE} (OFAC's download address, or a
 * directory) every {@code OFAC_LIST_FETCH_EVERY}, and publishes it through {@link ListPublisher}
 * when its content differs from the version in force. The rest is the path every list takes: the
 * followers build the new index and the screeners re-screen.
 *
 * <p>Several instances fetch on their own, without coordinating: the version is the hash of the
 * content, so two instances that publish the same files publish the same version, which comes into
 * force once and re-screens once. A failed fetch (unreachable, an HTTP error, a malformed list, the
 * cluster refusing the write) keeps the version in force, is logged with its reason and kept for
 * health, and is retried after a short back-off ({@link FetchStatus#nextDelay}); it is never
 * dead-lettered, since the next try usually succeeds and a person is warned when it does not.
 */
public final class ListFetcher implements AutoCloseable {
  public static final String OFAC_LIST_SOURCE = "OFAC_LIST_SOURCE";
  public static final String OFAC_LIST_FETCH_EVERY = "OFAC_LIST_FETCH_EVERY";

  /**
   * OFAC publishes changes on working days, at no fixed hour, often several a week: four fetches a
   * day put a change in force within hours, for a few megabytes per instance each time.
   */
  public static final Duration DEFAULT_EVERY = Duration.ofHours(6);

  private static final Logger log = LoggerFactory.getLogger(ListFetcher.class);

  /** Where the files come from: an HTTP base URL or a directory in production, a fake in tests. */
  @FunctionalInterface
  public interface Source {
    ListFiles fetch() throws IOException;
  }

  /** Validates and publishes a list; returns the version published. */
  @FunctionalInterface
  public interface Publish {
    String publish(ListFiles files, String label) throws MalformedListException;
  }

  /** What one fetch did. */
  public enum Outcome {
    PUBLISHED,
    UNCHANGED,
    FAILED
  }

  private final String location;
  private final Duration every;
  private final Source source;
  private final Publish publish;
  private final Supplier<Optional<String>> versionInForce;
  private final Clock clock;
  private final AtomicReference<FetchStatus> status = new AtomicReference<>(FetchStatus.none());
  private final AtomicBoolean started = new AtomicBoolean();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ofac-list-fetch");
            t.setDaemon(true);
            return t;
          });

  public ListFetcher(
      String location,
      Duration every,
      Source source,
      Publish publish,
      Supplier<Optional<String>> versionInForce,
      Clock clock) {
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException(OFAC_LIST_FETCH_EVERY + " must be positive: " + every);
    }
    this.location = location;
    this.every = every;
    this.source = source;
    this.publish = publish;
    this.versionInForce = versionInForce;
    this.clock = clock;
  }

  /**
   * The fetcher {@code config} asks for, if {@code OFAC_LIST_SOURCE} is set: it reads the files
   * there with {@link ListFiles#from}, and publishes with {@code publisher}.
   */
  public static Optional<ListFetcher> from(
      AppConfig config, ListPublisher publisher, ListFollower follower, Clock clock) {
    return config
        .find(OFAC_LIST_SOURCE)
        .filter(s -> !s.isBlank())
        .map(
            location ->
                new ListFetcher(
                    location,
                    config.getDuration(OFAC_LIST_FETCH_EVERY, DEFAULT_EVERY),
                    () -> ListFiles.from(location),
                    (files, label) -> publisher.publish(files, label).getVersion(),
                    () -> follower.inForce().map(ListInForce::version),
                    clock));
  }

  /** Fetches now, then again at every {@link FetchStatus#nextDelay}, on a thread of its own. */
  public void start() {
    if (started.compareAndSet(false, true)) {
      timer.execute(this::tick);
    }
  }

  private void tick() {
    fetchOnce();
    Duration next = status.get().nextDelay(every);
    try {
      timer.schedule(this::tick, next.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed meanwhile: no next fetch
    }
  }

  /**
   * One fetch: publishes the list when its content differs from the version in force (or none is
   * known yet), and records the outcome either way. Never throws: a failure is an outcome.
   */
  public Outcome fetchOnce() {
    Instant started = clock.instant();
    ListFiles files;
    try {
      files = source.fetch();
    } catch (IOException e) {
      return failed(started, "cannot fetch: " + e.getMessage());
    } catch (RuntimeException e) {
      return failed(started, "cannot fetch: " + e);
    }
    String version = files.version();
    Optional<String> inForce = versionInForce.get();
    if (inForce.isPresent() && inForce.get().equals(version)) {
      status.updateAndGet(s -> s.succeeded(started));
      log.info("OFAC list at {} unchanged: version {} stays in force", location, version);
      return Outcome.UNCHANGED;
    }
    try {
      String label = location + " (fetched " + started.truncatedTo(ChronoUnit.SECONDS) + ")";
      String published = publish.publish(files, label);
      status.updateAndGet(s -> s.succeeded(started));
      log.info(
          "OFAC list at {} changed: version {} published (was {})",
          location,
          published,
          inForce.orElse("none"));
      return Outcome.PUBLISHED;
    } catch (MalformedListException e) {
      return failed(started, "malformed list: " + e.getMessage());
    } catch (RuntimeException e) {
      return failed(started, "cannot publish: " + e);
    }
  }

  private Outcome failed(Instant at, String why) {
    FetchStatus now = status.updateAndGet(s -> s.failed(at, why));
    log.warn(
        "OFAC list fetch from {} failed ({} in a row); the version in force stays; next try in {}:"
            + " {}",
        location,
        now.failuresInARow(),
        now.nextDelay(every),
        why);
    return Outcome.FAILED;
  }

  /** What this instance's fetches have found so far. */
  public FetchStatus status() {
    return status.get();
  }

  /** Where the list is fetched from. */
  public String location() {
    return location;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
