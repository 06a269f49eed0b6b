package io.userpipe.schemas.vocabulary;

import java.util.Locale;

/**
 * The four OFAC statuses of Dots' {@code compliance.flags.ofac_status}, the one home of their
 * names. Their order is how far a case has gone: a screening may raise a status, only ID
 * verification and a reviewer lower one.
 */
public enum OfacStatus {
  UNFLAGGED,
  ID_VERIFICATION_REQUIRED,
  IN_REVIEW,
  FLAGGED;

  /** The name on the wire and in the API: {@code id_verification_required}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status of a wire name; null for null (a user not screened yet). */
  public static OfacStatus of(String wire) {
    return wire == null ? null : valueOf(wire.toUpperCase(Locale.ROOT));
  }

  /** Whether the status holds a finding that only the life cycle can lower. */
  public boolean held() {
    return this != UNFLAGGED;
  }
}
