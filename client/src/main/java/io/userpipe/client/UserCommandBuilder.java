package io.userpipe.client;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCommand;
import java.time.Instant;

/**
 * A command about an existing user, decided by user-command-service: written to the platform's own
 * command topic, keyed by the user id, so all of a user's commands stay in order on one partition.
 */
public abstract class UserCommandBuilder<B extends UserCommandBuilder<B>>
    extends CommandBuilder<B> {

  private final String userId;

  UserCommandBuilder(String userId) {
    this.userId = required(userId, "user_id");
  }

  public String userId() {
    return userId;
  }

  /** The payload record, secrets sealed and bound to {@code commandId}. */
  abstract Object payload(String commandId, CommandSecrets secrets);

  @Override
  PreparedCommand prepare(
      String platformId, String commandId, CommandSecrets secrets, Instant now) {
    var command =
        UserCommand.newBuilder()
            .setCommandId(commandId)
            .setPlatformId(platformId)
            .setIssuedAt(now)
            .setUserId(userId)
            .setPayload(payload(commandId, secrets))
            .build();
    return new PreparedCommand(
        Topics.platformUserCommands(platformId).name(), userId, commandId, command);
  }
}
