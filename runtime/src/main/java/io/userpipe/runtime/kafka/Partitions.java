package io.userpipe.runtime.kafka;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** Manual assignment, for readers that follow whole topics without joining a consumer group. */
public final class Partitions {

  private Partitions() {}

  /** Assigns {@code consumer} every partition of the {@code topics}, and returns them. */
  public static List<TopicPartition> assignAll(Consumer<?, ?> consumer, String... topics) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    return partitions;
  }
}
