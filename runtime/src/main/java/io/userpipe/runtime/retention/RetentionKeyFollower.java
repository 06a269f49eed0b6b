package io.userpipe.runtime.retention;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.RetentionKeys;
import io.userpipe.runtime.crypto.RetentionPolicy;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.CompactedTopicFollower;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.RetentionKey;
import io.userpipe.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a service's {@link RetentionKeys} in step with {@code retention.keys}: follows the topic
 * from the beginning ({@link CompactedTopicFollower}; unreadable records go to {@code
 * retention.keys.dlq}); writes a new month's key durably before the ring seals with it; and every
 * {@code RETENTION_CHECK_INTERVAL} (an hour) tombstones the keys whose period and retention have
 * passed. Every service that holds a ring does the last, so a key is shredded even when the service
 * that made it is gone; tombstones are idempotent.
 */
public final class RetentionKeyFollower implements AutoCloseable {
  public static final String RETENTION_CHECK_INTERVAL = "RETENTION_CHECK_INTERVAL";

  /** A retention key this close to its expiry is not re-wrapped (far beyond any clock skew). */
  public static final Duration REWRAP_MARGIN = Duration.ofDays(1);

  private static final Logger log = LoggerFactory.getLogger(RetentionKeyFollower.class);
  private final RetentionKeys keys;
  private final KafkaProducer<String, RetentionKey> producer;
  private final CompactedTopicFollower<RetentionKey> follower;
  private final ScheduledExecutorService shredder;
  private final Duration checkEvery;

  /**
   * @param name the follower's thread, and the client id of its writers
   */
  public RetentionKeyFollower(AppConfig config, AvroSerdes serdes, String name, Clock clock) {
    var serde = serdes.valueSerde(Topics.RETENTION_KEYS);
    this.producer =
        new KafkaProducer<>(
            ClientProps.durableWriter(config, name), new StringSerializer(), serde.serializer());
    this.keys =
        new RetentionKeys(
            DataKeys.from(config), RetentionPolicy.from(config), clock, this::publish);
    this.checkEvery = config.getDuration(RETENTION_CHECK_INTERVAL, Duration.ofHours(1));
    this.follower =
        new CompactedTopicFollower<>(config, serdes, Topics.RETENTION_KEYS, name, this::follow);
    this.shredder =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, name + "-shredder");
              t.setDaemon(true);
              return t;
            });
  }

  public RetentionKeys keys() {
    return keys;
  }

  /**
   * Follows the topic and starts shredding expired keys; once the keys that existed are known,
   * makes sure this month's key is on the topic, so that a stream thread seldom has to write one.
   * Returns at once: a service starts during a registry or broker outage, and a ring that is not
   * caught up yet only risks a second key for the month, which the key ids make harmless.
   */
  public void start() {
    follower.start();
    shredder.scheduleWithFixedDelay(
        this::shredExpired, 0, checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    shredder.schedule(this::prepareThisMonth, 0, TimeUnit.MILLISECONDS);
  }

  /**
   * Writes this month's key once the topic has been read, then re-wraps the keys an older data key
   * wraps; tried again every second until then.
   */
  private void prepareThisMonth() {
    try {
      if (follower.caughtUp()) {
        keys.current();
        rewrapOlder();
        return;
      }
    } catch (RuntimeException e) {
      log.warn("cannot write this month's retention key yet: {}", e.toString());
    }
    shredder.schedule(this::prepareThisMonth, 1, TimeUnit.SECONDS);
  }

  /**
   * Key rotation: every key not yet expired that an older data key wraps is written again wrapped
   * by the active one, once, on start (a service restarted with a new {@code ACTIVE_DATA_KEY}), so
   * that the old data key can be retired without shredding decision subjects early. Keys that
   * expire within {@link #REWRAP_MARGIN} are left alone: a re-wrap never follows an expiry
   * tombstone. Every service holding a ring does it; two re-wraps of one key are both good.
   */
  private void rewrapOlder() {
    for (RetentionKey key : keys.rewrapsDue(REWRAP_MARGIN)) {
      try {
        producer
            .send(new ProducerRecord<>(Topics.RETENTION_KEYS.name(), key.getKeyId(), key))
            .get(30, TimeUnit.SECONDS);
        keys.apply(key.getKeyId(), key);
        log.info(
            "retention key {} re-wrapped under data key {}",
            key.getKeyId(),
            key.getWrappedKey().getKeyId());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        log.warn("cannot re-wrap retention key {}: {}", key.getKeyId(), e.toString());
        return; // tried again at the next start
      }
    }
  }

  /** "UP", or "DOWN: why" when the follower's loop has died or stopped polling. */
  public String health() {
    return follower.health();
  }

  private void follow(String keyId, RetentionKey key) {
    if (!keys.apply(keyId, key)) {
      log.warn("retention key {} names no month (yyyy-MM): ignored", keyId);
    }
  }

  /**
   * Writes a new key before anything is sealed with it. A failure is a {@link KeyNotWritten}, which
   * is retriable: the stream thread that needed the key fails its task and retries the decision
   * from the last commit (see {@code DeadLetterHandlers}), rather than dead-letter a good record.
   */
  private void publish(RetentionKey key) {
    try {
      producer
          .send(new ProducerRecord<>(Topics.RETENTION_KEYS.name(), key.getKeyId(), key))
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeyNotWritten(key.getKeyId(), e);
    } catch (Exception e) {
      throw new KeyNotWritten(key.getKeyId(), e);
    }
    log.info("retention key {} published for period {}", key.getKeyId(), key.getPeriod());
  }

  /** Tombstones every expired key: the decision subjects it sealed can no longer be opened. */
  void shredExpired() {
    try {
      shredEach();
    } catch (RuntimeException e) {
      // never let an exception end the schedule: the next check tries again
      log.warn("cannot look for expired retention keys: {}", e.toString());
    }
  }

  private void shredEach() {
    for (String keyId : keys.expiredKeyIds()) {
      try {
        producer
            .send(new ProducerRecord<>(Topics.RETENTION_KEYS.name(), keyId, null))
            .get(30, TimeUnit.SECONDS);
        keys.apply(keyId, null);
        log.info("retention key {} shredded: its period and the retention period are over", keyId);
      } catch (Exception e) {
        log.warn("cannot tombstone retention key {} yet: {}", keyId, e.toString());
        return; // tried again at the next check
      }
    }
  }

  /** A retention key could not be written (broker, registry): a fault that may pass. */
  public static final class KeyNotWritten extends RetriableException {
    public KeyNotWritten(String keyId, Throwable cause) {
      super("retention key " + keyId + " not written: " + cause, cause);
    }
  }

  @Override
  public void close() {
    shredder.shutdownNow();
    follower.close();
    producer.close(Duration.ofSeconds(5));
  }
}
