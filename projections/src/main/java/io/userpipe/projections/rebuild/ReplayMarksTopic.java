package io.userpipe.projections.rebuild;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.ReplayMarks;
import io.userpipe.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** Reads and writes {@code views.replay-marks}: one record per rebuilt service, the latest wins. */
public final class ReplayMarksTopic {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final AppConfig config;
  private final AvroSerdes serdes;

  public ReplayMarksTopic(AppConfig config, AvroSerdes serdes) {
    this.config = config;
    this.serdes = serdes;
  }

  /** The latest marks of {@code applicationId}, or {@link ReplayBoundary#none()}. */
  public ReplayBoundary latest(String applicationId) {
    var topic = Topics.VIEWS_REPLAY_MARKS;
    TopicCreator.ensure(config, List.of(topic));
    var props = new HashMap<String, Object>(TopicCreator.commonClientProps(config));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    var tp = new TopicPartition(topic.name(), 0);
    ReplayMarks latest = null;
    try (var consumer =
        new KafkaConsumer<>(
            props,
            serdes.keySerde(topic).deserializer(),
            serdes.valueSerde(topic).deserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp), READ_TIMEOUT).get(tp);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (consumer.position(tp, READ_TIMEOUT) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read " + topic.name() + " to its end within " + READ_TIMEOUT);
        }
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          if (applicationId.equals(record.key())) {
            latest = record.value();
          }
        }
      }
    }
    return latest == null ? ReplayBoundary.none() : ReplayBoundary.fromAvro(latest);
  }

  /** Writes the marks of a rebuild and waits until the broker has them. */
  public void write(String applicationId, ReplayBoundary boundary, Instant requestedAt) {
    var topic = Topics.VIEWS_REPLAY_MARKS;
    try (var producer =
        new KafkaProducer<>(
            ClientProps.durableWriter(config, "rebuild-views"),
            serdes.keySerde(topic).serializer(),
            serdes.valueSerde(topic).serializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  topic.name(), applicationId, boundary.toAvro(applicationId, requestedAt)))
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing the replay marks", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "could not write the replay marks: " + e.getCause().getMessage(), e.getCause());
    }
  }
}
