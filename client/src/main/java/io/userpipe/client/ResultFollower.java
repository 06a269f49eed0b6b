package io.userpipe.client;

import io.userpipe.runtime.kafka.Partitions;
import io.userpipe.runtime.serde.TransientSerdeException;
import io.userpipe.schemas.CommandResult;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the platform's results topic, every partition, outside any consumer group (each client
 * instance needs the results of its own commands, wherever they land), committed results only, and
 * hands each to the {@link ResultWaiters}. It starts {@code lookBack} before now, so that a result
 * decided just before the client started (a retry's answer) is still seen.
 */
final class ResultFollower implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ResultFollower.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration TRANSIENT_PAUSE = Duration.ofSeconds(1);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Deserializer<CommandResult> results;
  private final ResultWaiters waiters;
  private final Thread thread;
  private volatile boolean closing;

  /**
   * Assigned and positioned when this returns: nothing written to the topic from now on is missed.
   *
   * @throws IllegalStateException when the topic does not exist (the platform was not added)
   */
  ResultFollower(
      Map<String, Object> kafkaSettings,
      String topic,
      Deserializer<CommandResult> results,
      ResultWaiters waiters,
      Duration lookBack,
      Clock clock) {
    this.consumer =
        new KafkaConsumer<>(
            consumerProps(kafkaSettings), new StringDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.results = results;
    this.waiters = waiters;
    try {
      position(clock.millis() - lookBack.toMillis());
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
    this.thread = new Thread(this::run, "userpipe-client-results");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * The reader's settings: the caller's, but outside any group (no offsets to commit: each start
   * reads from its look-back), committed results only, never a topic created by reading it, and a
   * client id of its own beside the producer's.
   */
  static Map<String, Object> consumerProps(Map<String, Object> kafkaSettings) {
    var props = new HashMap<>(kafkaSettings);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(
        ConsumerConfig.CLIENT_ID_CONFIG,
        kafkaSettings.getOrDefault(ConsumerConfig.CLIENT_ID_CONFIG, "userpipe-client")
            + "-results");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    return props;
  }

  private void position(long fromMillis) {
    List<TopicPartition> partitions;
    try {
      partitions = Partitions.assignAll(consumer, topic);
    } catch (RuntimeException e) {
      throw noTopic(e);
    }
    if (partitions.isEmpty()) {
      throw noTopic(null);
    }
    var query = new HashMap<TopicPartition, Long>();
    partitions.forEach(tp -> query.put(tp, Math.max(0, fromMillis)));
    var found = consumer.offsetsForTimes(query);
    var end = consumer.endOffsets(partitions);
    for (TopicPartition tp : partitions) {
      var at = found.get(tp);
      consumer.seek(tp, at == null ? end.get(tp) : at.offset());
    }
    partitions.forEach(consumer::position); // resolved now, not at the first poll
  }

  private IllegalStateException noTopic(Exception cause) {
    return new IllegalStateException(
        "the results topic "
            + topic
            + " cannot be read: it is made when the operators add the platform, and this client's"
            + " principal must be allowed to read it",
        cause);
  }

  private void run() {
    try {
      while (!closing) {
        var records = consumer.poll(POLL);
        for (TopicPartition tp : records.partitions()) {
          for (var record : records.records(tp)) {
            if (record.value() == null) {
              continue;
            }
            CommandResult result;
            try {
              result = results.deserialize(record.topic(), record.headers(), record.value());
            } catch (TransientSerdeException e) {
              // the registry is out of reach: read this result again after a pause
              log.warn("cannot read result {}@{} yet: {}", tp, record.offset(), e.getMessage());
              consumer.seek(tp, record.offset());
              Thread.sleep(TRANSIENT_PAUSE.toMillis());
              break;
            } catch (SerializationException e) {
              log.warn("skipped unreadable result {}@{}: {}", tp, record.offset(), e.getMessage());
              continue;
            }
            waiters.arrived(Result.of(result));
          }
        }
      }
    } catch (WakeupException | InterruptedException e) {
      if (!closing) {
        waiters.close(new IllegalStateException("the results reader was stopped", e));
      }
    } catch (RuntimeException e) {
      log.error("the results reader of {} stopped", topic, e);
      waiters.close(new IllegalStateException("the results reader stopped: " + e, e));
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
