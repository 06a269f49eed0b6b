package io.userpipe.projections.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.userpipe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/**
 * The partition a view look computes for a key is the one a producer with the default partitioner
 * writes it to, and so the partition whose task folds it (ViewQueries also checks each owner it
 * resolves against Kafka Streams' own answer).
 */
class ViewQueriesPartitionTest {

  @Test
  void aKeysPartitionIsTheDefaultPartitioners() {
    for (int i = 0; i < 10_000; i++) {
      String key = i % 2 == 0 ? UUID.randomUUID().toString() : "cmd-" + i + "-é";
      assertEquals(
          BuiltInPartitioner.partitionForKey(
              key.getBytes(StandardCharsets.UTF_8), Topics.USER_PARTITIONS),
          ViewQueries.partitionOf(key),
          key);
    }
  }
}
