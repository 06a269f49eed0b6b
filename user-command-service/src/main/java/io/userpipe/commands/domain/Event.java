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
}
