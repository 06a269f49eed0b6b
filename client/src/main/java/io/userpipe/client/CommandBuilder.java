package io.userpipe.client;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.schemas.CommandIds;
import java.time.Instant;
import java.util.UUID;

/**
 * What every command builder has: an idempotency key, and from it a deterministic command id, so
 * that sending the same builder twice (a retry) is the same command and is decided once. The key is
 * the caller's ({@link #idempotencyKey(String)}), else derived: from the content for a create, else
 * a random one fixed when the builder is made.
 *
 * <p>Only this package makes builders ({@link Commands}); the platform, the issue time and the
 * sealing of secrets are the client's ({@link CommandFactory}), never the caller's.
 *
 * @param <B> the concrete builder, for chaining
 */
public abstract class CommandBuilder<B extends CommandBuilder<B>> {

  private final String randomKey = "random:" + UUID.randomUUID();
  private String idempotencyKey;

  CommandBuilder() {}

  /**
   * The caller's idempotency key (1 to 255 characters): the same key, from the same platform,
   * through either door, is the same command.
   */
  public B idempotencyKey(String key) {
    if (!CommandIds.isValidKey(key)) {
      throw new IllegalArgumentException(
          "an idempotency key is 1 to " + CommandIds.MAX_KEY_LENGTH + " characters");
    }
    this.idempotencyKey = key;
    return self();
  }

  /** The command id this builder's command has when sent by {@code platformId}. */
  public String commandId(String platformId) {
    return CommandIds.fromIdempotencyKey(
        platformId, idempotencyKey != null ? idempotencyKey : derivedKey());
  }

  /** The key when the caller gave none: a random one, the same for this builder's lifetime. */
  String derivedKey() {
    return randomKey;
  }

  /**
   * The record to send, its topic and key, checked: a required field missing throws {@link
   * IllegalStateException}.
   *
   * @param secrets the edge keys' sealer, or null when the client has none (a command with a secret
   *     then throws)
   */
  abstract PreparedCommand prepare(
      String platformId, String commandId, CommandSecrets secrets, Instant now);

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  static <T> T required(T value, String field) {
    if (value == null) {
      throw new IllegalStateException(field + " is required");
    }
    return value;
  }

  static CommandSecrets sealer(CommandSecrets secrets) {
    if (secrets == null) {
      throw new IllegalStateException(
          "this command carries a secret, sealed under the edge keys: configure EDGE_KEYS");
    }
    return secrets;
  }
}
