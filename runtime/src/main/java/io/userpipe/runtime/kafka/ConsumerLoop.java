package io.userpipe.runtime.kafka;

import io.userpipe.runtime.serde.TransientSerdeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer on a thread of its own that hands each batch to a handler and commits only after the
 * handler is done: a crash repeats work, never skips it. A batch whose handler throws is read again
 * after a pause. Used by the workers beside the Streams apps (SMS relay, TIN worker, OFAC list
 * follower).
 *
 * <p>A record that cannot be read is told apart by its cause: a transient one (the schema registry
 * unreachable or answering 5xx) is read again with a backoff, never skipped; a permanent one (not
 * the wire format, an unknown schema id, corrupt Avro) is written, bytes untouched, to {@code
 * <topic>.dlq} (see {@link DeadLetters}) and only then skipped and committed past. {@link
 * #health()} says whether the thread is alive and still polling.
 */
public final class ConsumerLoop<K, V> implements AutoCloseable {

  /** Does the work of one batch; throwing means "not done", and the batch comes again. */
  @FunctionalInterface
  public interface BatchHandler<K, V> {
    void handle(ConsumerRecords<K, V> batch) throws Exception;
  }

  /** How a loop polls, where its dead letters go and how its liveness is judged. */
  public static final class Options {
    private Duration pollTimeout = Duration.ofMillis(200);
    private Duration stallAfter;
    private LongSupplier nanoTime = System::nanoTime;
    private Producer<byte[], byte[]> deadLetters;
    private Duration firstBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private List<TopicPartition> assignFromBeginning;
    private boolean commit = true;

    public static Options defaults() {
      return new Options();
    }

    public Options pollTimeout(Duration pollTimeout) {
      this.pollTimeout = pollTimeout;
      return this;
    }

    /** How long without a poll counts as stuck; three poll timeouts unless said. */
    public Options stallAfter(Duration stallAfter) {
      this.stallAfter = stallAfter;
      return this;
    }

    /** The clock of the liveness check (tests drive it). */
    public Options nanoTime(LongSupplier nanoTime) {
      this.nanoTime = nanoTime;
      return this;
    }

    /**
     * The producer of dead letters, handed over: the loop closes it. Without one a poison record is
     * never skipped: the loop retries it and reports itself DOWN.
     */
    public Options deadLetters(Producer<byte[], byte[]> deadLetters) {
      this.deadLetters = deadLetters;
      return this;
    }

    public Options backoff(Duration first, Duration max) {
      this.firstBackoff = first;
      this.maxBackoff = max;
      return this;
    }

    /** Reads these partitions from the beginning, outside any group, and commits nothing. */
    public Options assignFromBeginning(List<TopicPartition> partitions) {
      this.assignFromBeginning = List.copyOf(partitions);
      this.commit = false;
      return this;
    }

    Duration stallAfterOrDefault() {
      return stallAfter != null ? stallAfter : pollTimeout.multipliedBy(3);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

  private final String name;
  private final KafkaConsumer<K, V> consumer;
  private final String topic;
  private final BatchHandler<K, V> handler;
  private final Options options;
  private final Thread thread;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean started;
  private volatile long lastPollNanos;
  private volatile String trouble;
  private volatile Throwable died;

  public ConsumerLoop(
      String name, KafkaConsumer<K, V> consumer, String topic, BatchHandler<K, V> handler) {
    this(name, consumer, topic, handler, Options.defaults());
  }

  public ConsumerLoop(
      String name,
      KafkaConsumer<K, V> consumer,
      String topic,
      BatchHandler<K, V> handler,
      Options options) {
    this.name = name;
    this.consumer = consumer;
    this.topic = topic;
    this.handler = handler;
    this.options = options;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  public void start() {
    if (options.assignFromBeginning != null) {
      consumer.assign(options.assignFromBeginning);
      consumer.seekToBeginning(options.assignFromBeginning);
    } else {
      consumer.subscribe(List.of(topic));
    }
    lastPollNanos = options.nanoTime.getAsLong();
    started = true;
    thread.start();
  }

  /**
   * "UP" while the thread runs and polls; otherwise "DOWN: " and why — the thread died, or its last
   * poll is older than the stall allowance (a handler that blocks, a fault retried).
   */
  public String health() {
    if (!started) {
      return "DOWN: not started";
    }
    if (!running) {
      return "DOWN: closed";
    }
    if (!thread.isAlive()) {
      Throwable cause = died;
      return "DOWN: " + name + " thread died" + (cause == null ? "" : ": " + cause);
    }
    long silentNanos = options.nanoTime.getAsLong() - lastPollNanos;
    if (silentNanos > options.stallAfterOrDefault().toNanos()) {
      String why = trouble;
      return "DOWN: no poll for "
          + Duration.ofNanos(silentNanos).toMillis()
          + " ms"
          + (why == null ? "" : " (" + why + ")");
    }
    return "UP";
  }

  private void run() {
    Duration backoff = options.firstBackoff;
    try {
      while (running) {
        ConsumerRecords<K, V> batch;
        lastPollNanos = options.nanoTime.getAsLong();
        try {
          batch = consumer.poll(options.pollTimeout);
        } catch (RecordDeserializationException e) {
          lastPollNanos = options.nanoTime.getAsLong();
          if (isTransient(e) || options.deadLetters == null) {
            retryLater(e, backoff);
            backoff = min(backoff.multipliedBy(2), options.maxBackoff);
          } else {
            deadLetter(e);
            backoff = options.firstBackoff;
          }
          continue;
        }
        lastPollNanos = options.nanoTime.getAsLong();
        if (batch.isEmpty()) {
          continue;
        }
        backoff = options.firstBackoff;
        try {
          handler.handle(batch);
          trouble = null;
          if (options.commit) {
            consumer.commitSync();
          }
        } catch (WakeupException e) {
          throw e;
        } catch (Exception e) {
          log.error("{}: a batch failed and will be read again: {}", name, e.toString());
          trouble = "a batch failed: " + e;
          for (var partition : batch.partitions()) {
            consumer.seek(partition, batch.records(partition).get(0).offset());
          }
          pause(RETRY_PAUSE);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        died = e;
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      died = e;
      log.error("{}: the consumer loop stopped", name, e);
      throw e;
    } finally {
      consumer.close(Duration.ofSeconds(5));
      if (options.deadLetters != null) {
        options.deadLetters.close(Duration.ofSeconds(5));
      }
    }
  }

  /** Not skipped: read again from the same offset after the backoff. */
  private void retryLater(RecordDeserializationException e, Duration backoff)
      throws InterruptedException {
    String where = e.topicPartition() + "@" + e.offset();
    trouble =
        (options.deadLetters == null ? "cannot read " : "transient fault reading ")
            + where
            + ": "
            + rootMessage(e);
    log.warn("{}: {}; retrying in {} ms", name, trouble, backoff.toMillis());
    consumer.seek(e.topicPartition(), e.offset());
    pause(backoff);
  }

  /** Written durably to the dead-letter topic, then skipped and committed past. */
  private void deadLetter(RecordDeserializationException e) throws InterruptedException {
    TopicPartition tp = e.topicPartition();
    try {
      for (var letter :
          DeadLetters.of(
              name,
              tp.topic(),
              tp.partition(),
              e.offset(),
              bytes(e.keyBuffer()),
              bytes(e.valueBuffer()),
              e)) {
        options.deadLetters.send(letter).get();
      }
    } catch (ExecutionException | RuntimeException failed) {
      trouble = "cannot dead-letter " + tp + "@" + e.offset() + ": " + failed;
      log.error("{}: {}; retrying", name, trouble);
      consumer.seek(tp, e.offset());
      pause(RETRY_PAUSE);
      return;
    }
    log.error(
        "{}: the record at {}@{} cannot be read and was dead-lettered to {}: {}",
        name,
        tp,
        e.offset(),
        io.userpipe.schemas.Topics.deadLetterName(tp.topic()),
        rootMessage(e));
    consumer.seek(tp, e.offset() + 1);
    if (options.commit) {
      consumer.commitSync(Map.of(tp, new OffsetAndMetadata(e.offset() + 1)));
    }
    trouble = null;
  }

  /**
   * Whether reading might succeed if tried again: the registry could not be reached or failed on
   * its side (or said "slow down"). An answer such as 404 for an unknown id is final.
   */
  public static boolean isTransient(Throwable error) {
    return TransientSerdeException.isTransient(error); // one rule for the loops and Streams
  }

  private void pause(Duration duration) throws InterruptedException {
    stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public void close() {
    running = false;
    stopping.countDown();
    if (!started) {
      consumer.close(Duration.ofSeconds(5));
      if (options.deadLetters != null) {
        options.deadLetters.close(Duration.ofSeconds(5));
      }
      return;
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
