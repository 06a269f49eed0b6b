package io.userpipe.commands.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/** Where the producer's default partitioner puts a record with a given string key. */
final class DefaultPartitioner {

  private DefaultPartitioner() {}

  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
