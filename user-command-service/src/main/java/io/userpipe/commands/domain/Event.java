package io.userpipe.commands.domain;

import java.time.Instant;

/** A fact about one user. */
public sealed interface Event {

  record UserCreated(Profile profile) implements Event {}

  /** An existing user was connected to one more platform (same phone number). */
  record PlatformConnected() implements Event {}

  /** The profile after a change of mutable fields. */
  record UserUpdated(Profile profile) implements Event {}

  /** The user is gone, and with it the key to its personal data. */
  record UserDeleted() implements Event {}

  record VerificationTokenIssued(byte[] codeHash, Instant expiresAt) implements Event {}

  record VerificationAttemptFailed(int attempts, boolean locked) implements Event {}

  record UserVerified() implements Event {}

  /**
   * A W-9 with a structurally valid TIN: verification starts. {@code tin} and {@code name} are
   * sealed before the event leaves the service.
   */
  record TinSubmitted(
      String submissionId,
      String entityType,
      TinRules.TinType tinType,
      String tin,
      String name,
      boolean business)
      implements Event {
    public String last4() {
      return TinRules.last4(tin);
    }

    @Override
    public String toString() {
      return "TinSubmitted[" + submissionId + ", " + tinType + ", ***" + last4() + "]";
    }
  }

  record W8BenSubmitted(Command.W8Ben form) implements Event {}

  /** A payout method, validated and normalized; its details are sealed on the way out. */
  record PayoutMethodAdded(String payoutMethodId, PayoutDetails details) implements Event {}

  record PayoutMethodRemoved(String payoutMethodId) implements Event {}

  /** The method payouts go to; null when the user has none left. */
  record DefaultPayoutMethodChanged(String payoutMethodId) implements Event {}
}
