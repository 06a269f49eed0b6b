package io.userpipe.commands.topology;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ids derived from the command that causes them, so that a command processed twice (a retry, a
 * replay after a crash) yields the same user and the same event ids.
 */
final class Ids {

  private Ids() {}

  static String userIdFor(String commandId) {
    return UUID.nameUUIDFromBytes(("user:" + commandId).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  static String eventIdFor(String commandId, int index) {
    return UUID.nameUUIDFromBytes(
            ("event:" + commandId + "#" + index).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
