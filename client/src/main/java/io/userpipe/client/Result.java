package io.userpipe.client;

import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;

/** The one answer to one command: accepted, or rejected with a stable code and a message. */
public sealed interface Result {

  String commandId();

  /** The payload's record name, e.g. {@code CreateUser}. */
  String commandType();

  /**
   * Accepted.
   *
   * @param userId the user the command acted on or created
   * @param userVersion the user's version after it (a view at this version or later shows it), or
   *     null
   * @param created for a create: a new user was made (false: an existing person was connected)
   */
  record Accepted(
      String commandId, String commandType, String userId, Long userVersion, boolean created)
      implements Result {}

  /**
   * Rejected: {@code code} is one of invalid_field, not_found, conflict, forbidden, expired,
   * locked, throttled; {@code field} names the offending field when one is to blame (else null).
   */
  record Rejected(String commandId, String commandType, String code, String field, String message)
      implements Result {}

  static Result of(CommandResult result) {
    if (result.getOutcome() == CommandOutcome.ACCEPTED) {
      return new Accepted(
          result.getCommandId(),
          result.getCommandType(),
          result.getUserId(),
          result.getUserVersion(),
          result.getCreated());
    }
    var rejection = result.getRejection();
    return new Rejected(
        result.getCommandId(),
        result.getCommandType(),
        rejection == null ? "unknown" : rejection.getCode(),
        rejection == null ? null : rejection.getField(),
        rejection == null ? "" : rejection.getMessage());
  }
}
