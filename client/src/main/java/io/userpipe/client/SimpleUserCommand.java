package io.userpipe.client;

import io.userpipe.runtime.crypto.CommandSecrets;
import java.util.function.BiFunction;

/**
 * A command about a user with nothing to choose but its idempotency key: delete, send a code,
 * verify a code, remove a payout method ({@link Commands}).
 */
public final class SimpleUserCommand extends UserCommandBuilder<SimpleUserCommand> {

  private final BiFunction<String, CommandSecrets, Object> payload;

  /**
   * @param payload the payload from the command id and the sealer (which may be null: a payload
   *     with a secret asks {@link #sealer})
   */
  SimpleUserCommand(String userId, BiFunction<String, CommandSecrets, Object> payload) {
    super(userId);
    this.payload = payload;
  }

  @Override
  Object payload(String commandId, CommandSecrets secrets) {
    return payload.apply(commandId, secrets);
  }
}
