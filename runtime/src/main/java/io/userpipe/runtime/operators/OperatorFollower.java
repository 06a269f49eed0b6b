package io.userpipe.runtime.operators;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.ConsumerLoop;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.OperatorCredential;
import io.userpipe.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code operators} from the beginning, outside any group, into {@link
 * OperatorCredentials}: a credential added, rotated or retired with {@code bin/operators} takes
 * effect at every HTTP door a moment later, without a restart. {@link #caughtUp()} says whether the
 * topic has been read up to where it ended when the follower started; until then a door cannot tell
 * a valid credential from an unknown one. An unreadable record is dead-lettered to {@code
 * operators.dlq} (see {@link ConsumerLoop}).
 */
public final class OperatorFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OperatorFollower.class);
  private static final TopicPartition PARTITION = new TopicPartition(Topics.OPERATORS.name(), 0);

  private final OperatorCredentials credentials;
  private final KafkaConsumer<String, OperatorCredential> consumer;
  private final ConsumerLoop<String, OperatorCredential> loop;
  private volatile long startEnd = -1;
  private volatile boolean caughtUp;

  /**
   * @param name the follower's thread, and the client id of its dead-letter writer
   */
  public OperatorFollower(AppConfig config, AvroSerdes serdes, String name) {
    this.credentials = new OperatorCredentials();
    var props = new HashMap<String, Object>(TopicCreator.commonClientProps(config));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(
            props, new StringDeserializer(), serdes.valueSerde(Topics.OPERATORS).deserializer());
    this.loop =
        new ConsumerLoop<>(
            name,
            consumer,
            Topics.OPERATORS.name(),
            this::follow,
            ConsumerLoop.Options.defaults()
                .pollTimeout(Duration.ofMillis(500))
                .assignFromBeginning(List.of(PARTITION))
                .deadLetters(ClientProps.deadLetterWriter(config, name)));
  }

  /** Notes where the topic ends now, then follows it on a thread of its own. */
  public void start() {
    long begin = consumer.beginningOffsets(List.of(PARTITION)).get(PARTITION);
    startEnd = consumer.endOffsets(List.of(PARTITION)).get(PARTITION);
    caughtUp = startEnd <= begin;
    loop.start();
  }

  public OperatorCredentials credentials() {
    return credentials;
  }

  /** Whether every credential that existed when the follower started is known. */
  public boolean caughtUp() {
    return caughtUp;
  }

  /** "UP", or "DOWN: why" when the follower's loop has died or stopped polling. */
  public String health() {
    return loop.health();
  }

  private void follow(ConsumerRecords<String, OperatorCredential> records) {
    for (var r : records) {
      credentials.apply(r.key(), r.value());
      if (r.value() != null) {
        log.info("operator {}: {}", r.key(), r.value().getChange());
      }
    }
    // called on the loop's thread, the one that owns the consumer
    if (!caughtUp && consumer.position(PARTITION) >= startEnd) {
      caughtUp = true;
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}
