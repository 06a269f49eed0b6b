package io.userpipe.runtime.kafka;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer on a thread of its own that hands each batch to a handler and commits only after the
 * handler is done: a crash repeats work, never skips it. A batch whose handler throws is read again
 * after a pause. Used by the workers beside the Streams apps (SMS relay, TIN worker).
 */
public final class ConsumerLoop<K, V> implements AutoCloseable {

  /** Does the work of one batch; throwing means "not done", and the batch comes again. */
  @FunctionalInterface
  public interface BatchHandler<K, V> {
    void handle(ConsumerRecords<K, V> batch) throws Exception;
  }

  private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

  private final String name;
  private final KafkaConsumer<K, V> consumer;
  private final String topic;
  private final BatchHandler<K, V> handler;
  private final Thread thread;
  private volatile boolean running = true;

  public ConsumerLoop(
      String name, KafkaConsumer<K, V> consumer, String topic, BatchHandler<K, V> handler) {
    this.name = name;
    this.consumer = consumer;
    this.topic = topic;
    this.handler = handler;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  public void start() {
    consumer.subscribe(List.of(topic));
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        ConsumerRecords<K, V> batch = consumer.poll(Duration.ofMillis(200));
        if (batch.isEmpty()) {
          continue;
        }
        try {
          handler.handle(batch);
          consumer.commitSync();
        } catch (WakeupException e) {
          throw e;
        } catch (Exception e) {
          log.error("{}: a batch failed and will be read again: {}", name, e.toString());
          for (var partition : batch.partitions()) {
            consumer.seek(partition, batch.records(partition).get(0).offset());
          }
          Thread.sleep(RETRY_PAUSE.toMillis());
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
