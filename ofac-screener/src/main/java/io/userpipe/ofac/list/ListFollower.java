package io.userpipe.ofac.list;

import io.userpipe.ofac.match.ScreeningIndex;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.ConsumerLoop;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.serde.TransientSerdeException;
import io.userpipe.schemas.OfacListFile;
import io.userpipe.schemas.OfacListRecord;
import io.userpipe.schemas.OfacListVersion;
import io.userpipe.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code ofac.lists} from the beginning and keeps the index of the version in force: each
 * instance builds the same index from the same published files. A version whose files do not parse
 * is logged and ignored (the publisher validates first, so this means a foreign writer); a record
 * that cannot be read at all is dead-lettered to {@code ofac.lists.dlq} (see {@link ConsumerLoop}).
 */
public final class ListFollower implements Supplier<ScreeningIndex>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ListFollower.class);
  private static final Duration MAX_PROBE_PAUSE = Duration.ofSeconds(10);

  private final KafkaConsumer<String, OfacListRecord> consumer;
  private final AtomicReference<ScreeningIndex> index = new AtomicReference<>();
  private final AtomicReference<ListInForce> inForce = new AtomicReference<>();
  private final Map<String, byte[]> files = new HashMap<>();
  private final CountDownLatch first = new CountDownLatch(1);
  private final ConsumerLoop<String, OfacListRecord> loop;
  private volatile OfacListVersion pending;
  private final AtomicLong pointersRead = new AtomicLong();
  private volatile OfacList offered;

  public ListFollower(AppConfig config, AvroSerdes serdes) {
    var props = new HashMap<String, Object>(TopicCreator.commonClientProps(config));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 32 * 1024 * 1024);
    this.consumer =
        new KafkaConsumer<>(
            props, new StringDeserializer(), serdes.valueSerde(Topics.OFAC_LISTS).deserializer());
    this.loop =
        new ConsumerLoop<>(
            "ofac-list-follower",
            consumer,
            Topics.OFAC_LISTS.name(),
            this::follow,
            ConsumerLoop.Options.defaults()
                .pollTimeout(Duration.ofMillis(500))
                // building the index of a new version is work, not a stall
                .stallAfter(Duration.ofSeconds(60))
                .assignFromBeginning(List.of(new TopicPartition(Topics.OFAC_LISTS.name(), 0)))
                .deadLetters(ClientProps.deadLetterWriter(config, "ofac-list-follower")));
  }

  public void start() {
    loop.start();
  }

  /** "UP", or "DOWN: why" when the follower's loop has died or stopped polling. */
  public String health() {
    return loop.health();
  }

  /**
   * A list this process has just parsed to publish it. When its version comes into force, the index
   * is built from it instead of from the files parsed again: the version is the hash of the files'
   * content, so both would parse the same.
   */
  public void offer(OfacList list) {
    offered = list;
  }

  /** Whether some version has been read to the end of the topic without finding a current one. */
  public boolean awaitIndex(Duration timeout) throws InterruptedException {
    return first.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Whether the topic holds a current version, waiting out a transient fault (the schema registry
   * down or answering 5xx) for up to {@code patience}: a registry outage while a process starts
   * delays the answer, it does not fail the start.
   *
   * @throws RuntimeException a permanent fault, or a transient one that outlasted {@code patience}
   */
  public static boolean hasCurrentVersion(AppConfig config, AvroSerdes serdes, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    Duration pause = Duration.ofSeconds(1);
    while (true) {
      try {
        return hasCurrentVersion(config, serdes);
      } catch (RuntimeException e) {
        if (!TransientSerdeException.isTransient(e)
            || System.nanoTime() + pause.toNanos() > deadline) {
          throw e;
        }
        log.warn(
            "cannot tell whether {} holds a list version yet, retrying in {} s: {}",
            Topics.OFAC_LISTS.name(),
            pause.toSeconds(),
            e.toString());
        Thread.sleep(pause.toMillis());
        pause =
            pause.multipliedBy(2).compareTo(MAX_PROBE_PAUSE) > 0
                ? MAX_PROBE_PAUSE
                : pause.multipliedBy(2);
      }
    }
  }

  /** Whether the topic holds a current version, read to its end offset of right now. */
  public static boolean hasCurrentVersion(AppConfig config, AvroSerdes serdes) {
    try (var probe = new ListFollower(config, serdes)) {
      var tp = new TopicPartition(Topics.OFAC_LISTS.name(), 0);
      probe.consumer.assign(List.of(tp));
      probe.consumer.seekToBeginning(List.of(tp));
      long end = probe.consumer.endOffsets(List.of(tp)).get(tp);
      while (probe.consumer.position(tp) < end) {
        ConsumerRecords<String, OfacListRecord> records;
        try {
          records = probe.consumer.poll(Duration.ofMillis(500));
        } catch (RecordDeserializationException e) {
          if (ConsumerLoop.isTransient(e)) {
            throw e;
          }
          // unreadable for good: the follower dead-letters it; the probe only looks past it
          probe.consumer.seek(e.topicPartition(), e.offset() + 1);
          continue;
        }
        for (var r : records) {
          if (ListPublisher.CURRENT.equals(r.key()) && r.value() != null) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /**
   * The version screened with now, and when it was published. A later {@code current} record for
   * the same version (another instance published the same files) changes neither the index nor
   * this: the list in force is the same list.
   */
  public Optional<ListInForce> inForce() {
    return Optional.ofNullable(inForce.get());
  }

  /** How many {@code current} pointers it has read and acted on: a test waits for one. */
  long pointersRead() {
    return pointersRead.get();
  }

  @Override
  public ScreeningIndex get() {
    return index.get();
  }

  private void follow(ConsumerRecords<String, OfacListRecord> records) {
    int pointers = 0;
    for (var r : records) {
      if (r.value() == null) {
        files.remove(r.key());
        continue;
      }
      Object payload = r.value().getPayload();
      if (payload instanceof OfacListFile f) {
        java.nio.ByteBuffer buf = f.getGzip().duplicate();
        byte[] gz = new byte[buf.remaining()];
        buf.get(gz);
        gunzip(gz); // a file that cannot be read fails here, with its record (dead-lettered)
        // kept as it came: the list's files are read again only when a version comes into force,
        // and unzipped they were 5.6 MB of a stack's live heap for as long as it ran
        files.put(f.getVersion() + "/" + f.getName(), gz);
      } else if (payload instanceof OfacListVersion v) {
        pending = v;
        pointers++;
      }
    }
    OfacListVersion want = pending;
    ScreeningIndex have = index.get();
    if (want != null && (have == null || !have.version().equals(want.getVersion()))) {
      load(want);
    }
    pointersRead.addAndGet(pointers); // after acting on them
  }

  private void load(OfacListVersion version) {
    Map<String, byte[]> these = new HashMap<>();
    for (String name : version.getFiles()) {
      byte[] bytes = files.get(version.getVersion() + "/" + name);
      if (bytes == null) {
        return; // its files are not all read yet
      }
      these.put(name, gunzip(bytes));
    }
    long started = System.nanoTime();
    try {
      OfacList mine = offered;
      offered = null;
      ScreeningIndex built =
          ScreeningIndex.build(
              mine != null && mine.version().equals(version.getVersion())
                  ? mine
                  : OfacListParser.parse(new ListFiles(these), version.getLabel()));
      inForce.set(
          new ListInForce(version.getVersion(), version.getLabel(), version.getPublishedAt()));
      index.set(built);
      pending = null;
      log.info(
          "OFAC list version {} ('{}') in force: {} entries, {} names indexed in {} ms",
          version.getVersion(),
          version.getLabel(),
          built.entryCount(),
          built.nameCount(),
          (System.nanoTime() - started) / 1_000_000);
      first.countDown();
    } catch (MalformedListException e) {
      pending = null;
      log.error(
          "OFAC list version {} is malformed and was ignored: {}",
          version.getVersion(),
          e.getMessage());
    }
  }

  private static byte[] gunzip(byte[] gz) {
    try (var in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}
