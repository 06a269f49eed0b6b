package io.userpipe.ofac.list;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One fetch, with the files and the publishing stood in for: what is published, what is kept, and
 * what is recorded. The publishing stand-in parses like {@link ListPublisher} does first, so a
 * malformed list is refused by the real parser.
 */
class ListFetcherTest {
  private static final Instant NOW = Instant.parse("2026-12-03T06:00:00Z");

  private final AtomicReference<Object> served = new AtomicReference<>();
  private final AtomicReference<String> inForce = new AtomicReference<>();
  private final List<String> published = new ArrayList<>();
  private final ListFetcher fetcher =
      new ListFetcher(
          "https://ofac.example/exports/",
          Duration.ofHours(6),
          this::serve,
          (files, label) -> {
            String version = OfacListParser.parse(files, label).version();
            published.add(version);
            inForce.set(version); // as the follower would, once it has read it
            return version;
          },
          () -> Optional.ofNullable(inForce.get()),
          Clock.fixed(NOW, ZoneOffset.UTC));

  private ListFiles serve() throws IOException {
    Object answer = served.get();
    if (answer instanceof IOException e) {
      throw e;
    }
    return (ListFiles) answer;
  }

  @Test
  void aListWhoseContentDiffersFromTheVersionInForceIsPublished() throws Exception {
    inForce.set(ListFiles.shipped().version());
    ListFiles newer = ListVersions.newer();
    served.set(newer);

    assertEquals(ListFetcher.Outcome.PUBLISHED, fetcher.fetchOnce());

    assertEquals(List.of(newer.version()), published);
    assertEquals(Optional.of(NOW), fetcher.status().lastSuccess());
    assertEquals(Optional.empty(), fetcher.status().lastError());
  }

  @Test
  void theSameContentAgainIsNotPublishedAgainButCountsAsAGoodFetch() throws Exception {
    served.set(ListFiles.shipped());
    inForce.set(ListFiles.shipped().version());

    assertEquals(ListFetcher.Outcome.UNCHANGED, fetcher.fetchOnce());
    assertEquals(ListFetcher.Outcome.UNCHANGED, fetcher.fetchOnce());

    assertEquals(List.of(), published);
    assertEquals(Optional.of(NOW), fetcher.status().lastSuccess());
  }

  @Test
  void aMalformedListKeepsTheVersionInForceAndSaysWhichLine() throws Exception {
    String shipped = ListFiles.shipped().version();
    inForce.set(shipped);
    served.set(ListVersions.malformed());

    assertEquals(ListFetcher.Outcome.FAILED, fetcher.fetchOnce());

    assertEquals(List.of(), published);
    assertEquals(shipped, inForce.get());
    String error = fetcher.status().lastError().orElseThrow();
    assertTrue(error.startsWith("malformed list: sdn.csv line "), error);
    assertTrue(error.contains("expected 12 fields, found 3"), error);
    assertEquals(1, fetcher.status().failures());
    assertEquals(Duration.ofMinutes(1), fetcher.status().nextDelay(Duration.ofHours(6)));
  }

  @Test
  void anUnreachableSourceIsAFailureRetriedSoonNotAnException() {
    served.set(new IOException("connection refused"));

    assertEquals(ListFetcher.Outcome.FAILED, fetcher.fetchOnce());
    assertEquals(ListFetcher.Outcome.FAILED, fetcher.fetchOnce());

    assertEquals(Optional.of("cannot fetch: connection refused"), fetcher.status().lastError());
    assertEquals(2, fetcher.status().failures());
    assertEquals(Duration.ofMinutes(2), fetcher.status().nextDelay(Duration.ofHours(6)));
  }

  @Test
  void aClusterThatRefusesTheWriteIsAFailureToo() throws Exception {
    var refusing =
        new ListFetcher(
            "/srv/ofac",
            Duration.ofHours(6),
            ListVersions::newer,
            (files, label) -> {
              throw new IllegalStateException("broker unavailable");
            },
            () -> Optional.of("abc"),
            Clock.fixed(NOW, ZoneOffset.UTC));

    assertEquals(ListFetcher.Outcome.FAILED, refusing.fetchOnce());

    String error = refusing.status().lastError().orElseThrow();
    assertTrue(error.startsWith("cannot publish: ") && error.contains("broker unavailable"), error);
  }
}
