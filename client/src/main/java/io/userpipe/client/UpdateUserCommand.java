package io.userpipe.client;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.schemas.UpdateUser;
import java.util.Map;

/** Changes a user's mutable fields; a field not set is left as it is. */
public final class UpdateUserCommand extends UserCommandBuilder<UpdateUserCommand> {

  private String firstName;
  private String lastName;
  private String email;
  private String dateOfBirth;
  private Map<String, String> metadata;
  private String defaultPayoutMethod;

  UpdateUserCommand(String userId) {
    super(userId);
  }

  public UpdateUserCommand firstName(String firstName) {
    this.firstName = firstName;
    return this;
  }

  public UpdateUserCommand lastName(String lastName) {
    this.lastName = lastName;
    return this;
  }

  public UpdateUserCommand email(String email) {
    this.email = email;
    return this;
  }

  /** ISO-8601 date, {@code YYYY-MM-DD}. */
  public UpdateUserCommand dateOfBirth(String dateOfBirth) {
    this.dateOfBirth = dateOfBirth;
    return this;
  }

  /** Replaces the platform's own metadata about the person. */
  public UpdateUserCommand metadata(Map<String, String> metadata) {
    this.metadata = Map.copyOf(metadata);
    return this;
  }

  /** One of the user's payout method ids: where payouts go. */
  public UpdateUserCommand defaultPayoutMethod(String payoutMethodId) {
    this.defaultPayoutMethod = payoutMethodId;
    return this;
  }

  @Override
  Object payload(String commandId, CommandSecrets secrets) {
    return new UpdateUser(firstName, lastName, email, dateOfBirth, metadata, defaultPayoutMethod);
  }
}
