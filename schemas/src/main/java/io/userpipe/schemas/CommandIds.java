package io.userpipe.schemas;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A command's id from its platform's idempotency key: a name-based UUID, so a retry with the same
 * key is the same command, decided once (user-command-service remembers command ids for at least 24
 * hours). Both doors use it, the HTTP edge ({@code Idempotency-Key}) and the Java client of the
 * Kafka door: one key means one command whichever door it comes through.
 */
public final class CommandIds {

  /** The longest idempotency key either door accepts. */
  public static final int MAX_KEY_LENGTH = 255;

  private CommandIds() {}

  /**
   * The command id of a platform's idempotency key.
   *
   * @throws IllegalArgumentException when the key is empty or longer than {@link #MAX_KEY_LENGTH}
   */
  public static String fromIdempotencyKey(String platformId, String key) {
    if (!isValidKey(key)) {
      throw new IllegalArgumentException(
          "an idempotency key is 1 to " + MAX_KEY_LENGTH + " characters");
    }
    return UUID.nameUUIDFromBytes(
            ("idempotency:" + platformId + ":" + key).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  public static boolean isValidKey(String key) {
    return key != null && !key.isEmpty() && key.length() <= MAX_KEY_LENGTH;
  }
}
