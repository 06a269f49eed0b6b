package io.userpipe.commands.topology;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ids derived from the command that causes them, so that a command processed twice (a retry, a
 * replay after a crash) yields the same user and the same event ids.
 */
final class Ids {

  private Ids() {}

  /**
   * The id of a user created by {@code commandId}, chosen among the command's candidate ids as the
   * first that falls on {@code partition} of the user-keyed topics. The phone-keyed task that
   * claims a number picks its own partition, so it owns the new user too and decides the create
   * itself: no hop to another task. About {@code partitions} candidates are hashed on average.
   */
  static String userIdFor(String commandId, int partition, int partitions) {
    for (int attempt = 0; ; attempt++) {
      String id = uuid("user:" + commandId + (attempt == 0 ? "" : "#" + attempt));
      if (DefaultPartitioner.partitionOf(id, partitions) == partition) {
        return id;
      }
    }
  }

  static String eventIdFor(String commandId, int index) {
    return uuid("event:" + commandId + "#" + index);
  }

  private static String uuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
