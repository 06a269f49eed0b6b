package io.userpipe.runtime.kafka;

import io.userpipe.runtime.config.AppConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Settings of the plain clients beside the Streams apps (the SMS relay, the TIN worker, the HTTP
 * edge, the subscriber CLI), said once.
 */
public final class ClientProps {

  private ClientProps() {}

  /**
   * A consumer in group {@code APP_ID_PREFIX + group} that sees only committed records (never a
   * transaction's aborted output) and commits its offsets itself, after its work is done.
   */
  public static Map<String, Object> committedReader(AppConfig config, String group) {
    var props = new HashMap<String, Object>(TopicCreator.commonClientProps(config));
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.appIdPrefix() + group);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return props;
  }

  /** A producer whose acknowledged writes are neither lost nor duplicated by its own retries. */
  public static Map<String, Object> durableWriter(AppConfig config, String clientId) {
    var props = new HashMap<String, Object>(TopicCreator.commonClientProps(config));
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return props;
  }

  /** A durable producer of dead letters: the source's bytes as they are. */
  public static KafkaProducer<byte[], byte[]> deadLetterWriter(AppConfig config, String clientId) {
    return new KafkaProducer<>(
        durableWriter(config, clientId + "-dlq"),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }
}
