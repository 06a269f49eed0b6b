package io.userpipe.client;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.schemas.OfacCommand;
import io.userpipe.schemas.SubmitIdVerification;
import io.userpipe.schemas.Topics;
import java.time.Instant;

/**
 * The user completed ID verification (moves an OFAC status from id_verification_required to
 * in_review), decided by ofac-screener: written to the platform's own OFAC-command topic, keyed by
 * the user id.
 */
public final class IdVerificationCommand extends CommandBuilder<IdVerificationCommand> {

  private final String userId;
  private String provider;
  private String reference;

  IdVerificationCommand(String userId) {
    this.userId = required(userId, "user_id");
  }

  /** Who verified the ID, e.g. the KYC vendor. */
  public IdVerificationCommand provider(String provider) {
    this.provider = provider;
    return this;
  }

  /** The verification's id at that provider. */
  public IdVerificationCommand reference(String reference) {
    this.reference = reference;
    return this;
  }

  @Override
  PreparedCommand prepare(
      String platformId, String commandId, CommandSecrets secrets, Instant now) {
    var command =
        OfacCommand.newBuilder()
            .setCommandId(commandId)
            .setUserId(userId)
            .setPlatformId(platformId)
            .setIssuedAt(now)
            .setPayload(new SubmitIdVerification(provider, reference))
            .build();
    return new PreparedCommand(
        Topics.platformOfacCommands(platformId).name(), userId, commandId, command);
  }
}
