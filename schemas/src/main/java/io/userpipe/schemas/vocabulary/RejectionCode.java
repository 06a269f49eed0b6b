package io.userpipe.schemas.vocabulary;

import java.util.Locale;
import java.util.Optional;

/**
 * The stable codes of a refused command ({@code Rejection.code} on {@code users.command-results}),
 * the one home of their names and of the HTTP status each answers with. Every service that refuses
 * a command names its code from here, and the HTTP door maps it back with {@link #httpStatus()}.
 */
public enum RejectionCode {
  /** A field breaks a rule; the rejection names the field. */
  INVALID_FIELD(400),
  NOT_FOUND(404),
  /** The request contradicts the current state (a taken phone, a stale screening version). */
  CONFLICT(409),
  /** Not this caller's to do (another platform's topic, an operator's command). */
  FORBIDDEN(403),
  /** The user exists but has not consented to this platform yet. */
  CONNECTION_PENDING(403),
  /** A one-time code past its lifetime. */
  EXPIRED(410),
  /** Too many wrong codes: locked for a while. */
  LOCKED(429),
  /** Too many codes sent: wait before asking for another. */
  THROTTLED(429);

  private final int httpStatus;

  RejectionCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /** The name on the wire: {@code invalid_field}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The HTTP status a refused request answers with. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The code of a wire name; empty for one this version does not know. */
  public static Optional<RejectionCode> of(String wire) {
    for (RejectionCode code : values()) {
      if (code.wire().equals(wire)) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }
}
