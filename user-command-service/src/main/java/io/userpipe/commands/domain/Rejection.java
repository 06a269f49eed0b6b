package io.userpipe.commands.domain;

/**
 * Why a command is refused. {@code code} is stable for machines, {@code field} names the culprit
 * (JSON name) when there is one, {@code message} is for people.
 */
public record Rejection(String code, String field, String message) {

  public static final String INVALID_FIELD = "invalid_field";
  public static final String NOT_FOUND = "not_found";
  public static final String CONFLICT = "conflict";
  public static final String EXPIRED = "expired";
  public static final String LOCKED = "locked";
  public static final String THROTTLED = "throttled";
  public static final String CONNECTION_PENDING = "connection_pending";
  public static final String FORBIDDEN = "forbidden";

  public static Rejection invalid(String field, String message) {
    return new Rejection(INVALID_FIELD, field, message);
  }

  public static Rejection notFound(String message) {
    return new Rejection(NOT_FOUND, null, message);
  }

  /** A pending platform may only send and verify the code that connects it. */
  public static Rejection connectionPending() {
    return new Rejection(
        CONNECTION_PENDING,
        null,
        "this platform's connection to the user is pending: verify the code sent to the person"
            + " first (POST /v2/users/{id}/send-verification-token, then /verify)");
  }

  public static Rejection of(String code, String message) {
    return new Rejection(code, null, message);
  }
}
