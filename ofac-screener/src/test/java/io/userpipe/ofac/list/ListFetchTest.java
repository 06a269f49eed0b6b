package io.userpipe.ofac.list;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.Topics;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduled fetch end to end: a local HTTP server stands in for OFAC's download site, serving
 * the files in capitals as OFAC's list service does; the list is published on the real broker and
 * followed, and a bad download leaves the version in force and says why.
 */
class ListFetchTest {
  private final AtomicReference<ListFiles> served = new AtomicReference<>();
  private final AtomicInteger failWith = new AtomicInteger();
  private HttpServer ofac;
  private String base;

  @BeforeEach
  void startOfac() throws Exception {
    ofac = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ofac.createContext(
        "/exports/",
        exchange -> {
          String name = exchange.getRequestURI().getPath().substring("/exports/".length());
          byte[] body =
              name.equals(name.toUpperCase(Locale.ROOT))
                  ? served.get().file(name.toLowerCase(Locale.ROOT))
                  : null;
          int status = failWith.get() != 0 ? failWith.get() : body == null ? 404 : 200;
          if (status == 200) {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          } else {
            exchange.sendResponseHeaders(status, -1);
          }
          exchange.close();
        });
    ofac.start();
    base = "http://127.0.0.1:" + ofac.getAddress().getPort() + "/exports/";
  }

  @AfterEach
  void stopOfac() {
    ofac.stop(0);
  }

  @Test
  void aNewerListIsPublishedAndFollowedOnceAndABadDownloadKeepsTheVersionInForce()
      throws Exception {
    AppConfig config =
        SharedKafka.config()
            .with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
            .with(ListFetcher.OFAC_LIST_SOURCE, base)
            .with(ListFetcher.OFAC_LIST_FETCH_EVERY, "PT1H");
    TopicCreator.ensure(config, List.of(Topics.OFAC_LISTS, Topics.OFAC_LISTS_DLQ));
    var serdes = AvroSerdes.from(config);
    try (var follower = new ListFollower(config, serdes)) {
      follower.start();
      var publisher = new ListPublisher(config, serdes, follower::offer);
      String shipped =
          publisher.publish(ListFiles.shipped(), "shipped, before the fetch").getVersion();
      awaitTrue(() -> follower.inForce().map(l -> l.version().equals(shipped)).orElse(false));

      // good: the scheduled fetch's first tick publishes it, the follower puts it in force
      ListFiles newer = ListVersions.newer();
      served.set(newer);
      try (var fetcher =
          ListFetcher.from(config, publisher, follower, Clock.systemUTC()).orElseThrow()) {
        try {
          fetcher.start();
          awaitTrue(
              () -> follower.inForce().map(l -> l.version().equals(newer.version())).orElse(false));
          assertTrue(follower.inForce().orElseThrow().label().startsWith(base + " (fetched "));
          var inForce = follower.inForce().orElseThrow();
          var index = follower.get();

          // the same content again, fetched by this instance and by another one that had not yet
          // seen it come into force: the same version, still the same index (no re-screening)
          long lastOffset = lastOffset();
          assertEquals(ListFetcher.Outcome.UNCHANGED, fetcher.fetchOnce());
          assertEquals(lastOffset, lastOffset(), "nothing written for an unchanged list");
          var otherInstance =
              new ListFetcher(
                  base,
                  Duration.ofHours(1),
                  () -> ListFiles.from(base),
                  (files, label) -> publisher.publish(files, label).getVersion(),
                  () -> Optional.of(shipped),
                  Clock.systemUTC());
          long pointersRead = follower.pointersRead();
          assertEquals(ListFetcher.Outcome.PUBLISHED, otherInstance.fetchOnce());
          awaitTrue(() -> follower.pointersRead() > pointersRead);
          assertEquals(inForce, follower.inForce().orElseThrow());
          assertSame(index, follower.get(), "the same version is not built again");

          // malformed: refused, the version in force stays, and health says why
          served.set(ListVersions.malformed());
          assertEquals(ListFetcher.Outcome.FAILED, fetcher.fetchOnce());
          assertEquals(newer.version(), follower.inForce().orElseThrow().version());
          var freshness =
              new ListFreshness(
                  follower.inForce(),
                  Optional.of(base),
                  fetcher.status(),
                  Duration.ofDays(8),
                  Instant.now());
          assertTrue(
              ((String) freshness.details().get("last_fetch_error"))
                  .startsWith("malformed list: sdn.csv line "),
              freshness.details().toString());
          assertEquals(false, freshness.details().get("stale"));

          // unreachable for a while: still in force, and a stale warning once past the max age
          failWith.set(503);
          assertEquals(ListFetcher.Outcome.FAILED, fetcher.fetchOnce());
          assertEquals(newer.version(), follower.inForce().orElseThrow().version());
          assertEquals(2, fetcher.status().failures());
          var nineDaysOn =
              new ListFreshness(
                  follower.inForce(),
                  Optional.of(base),
                  fetcher.status(),
                  Duration.ofDays(8),
                  Instant.now().plus(Duration.ofDays(9)));
          assertTrue(nineDaysOn.stale());
          String warning = nineDaysOn.warning().orElseThrow();
          assertTrue(warning.contains(newer.version()), warning);
          assertTrue(warning.contains("answered HTTP 503"), warning);
        } finally {
          // the shared cluster's later tests expect the shipped list in force, as they found it
          publisher.publish(ListFiles.shipped(), "shipped, after the fetch test");
        }
      }
    }
  }

  private long lastOffset() {
    return TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.OFAC_LISTS.name()).stream()
        .mapToLong(ConsumerRecord::offset)
        .max()
        .orElse(-1);
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(condition.getAsBoolean(), "not within 120 s");
  }
}
