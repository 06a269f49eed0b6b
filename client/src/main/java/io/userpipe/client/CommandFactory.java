package io.userpipe.client;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.crypto.DataKeys;
import java.time.Clock;
import java.util.Objects;

/**
 * Turns builders into the records one platform sends, without Kafka: the platform's own topics
 * ({@code Topics.platformUserCommands}, {@code Topics.platformOfacCommands}), the key, the
 * deterministic command id, {@code platform_id} set to this platform (the services reject a
 * mismatch with the topic), and the secrets sealed under the edge keys, bound to the command id.
 * {@link PlatformClient} sends what it makes; a caller with its own (say, transactional) producer
 * may use it alone.
 */
public final class CommandFactory {

  private final String platformId;
  private final CommandSecrets secrets;
  private final Clock clock;

  /**
   * @param edgeKeys the edge keys ({@code EDGE_KEYS}), or null: then a command carrying a secret (a
   *     code, TIN, foreign tax id or account number) cannot be made
   */
  public CommandFactory(String platformId, DataKeys edgeKeys, Clock clock) {
    this.platformId = Objects.requireNonNull(platformId, "platformId");
    this.secrets = edgeKeys == null ? null : new CommandSecrets(edgeKeys);
    this.clock = clock;
  }

  public String platformId() {
    return platformId;
  }

  /**
   * The record to send for {@code command}.
   *
   * @throws IllegalStateException when a required field is missing, or the command carries a secret
   *     and there are no edge keys
   */
  public PreparedCommand prepare(CommandBuilder<?> command) {
    String commandId = command.commandId(platformId);
    return command.prepare(platformId, commandId, secrets, clock.instant());
  }
}
