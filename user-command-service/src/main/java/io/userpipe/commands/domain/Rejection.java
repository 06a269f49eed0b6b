package io.userpipe.commands.domain;

import io.userpipe.schemas.vocabulary.RejectionCode;

/**
 * Why a command is refused. {@code code} is stable for machines ({@link RejectionCode}), {@code
 * field} names the culprit (JSON name) when there is one, {@code message} is for people.
 */
public record Rejection(RejectionCode code, String field, String message) {

  public static Rejection invalid(String field, String message) {
    return new Rejection(RejectionCode.INVALID_FIELD, field, message);
  }

  public static Rejection notFound(String message) {
    return new Rejection(RejectionCode.NOT_FOUND, null, message);
  }

  /** A pending platform may only send and verify the code that connects it. */
  public static Rejection connectionPending() {
    return new Rejection(
        RejectionCode.CONNECTION_PENDING,
        null,
        "this platform's connection to the user is pending: verify the code sent to the person"
            + " first (POST /v2/users/{id}/send-verification-token, then /verify)");
  }

  public static Rejection of(RejectionCode code, String message) {
    return new Rejection(code, null, message);
  }
}
