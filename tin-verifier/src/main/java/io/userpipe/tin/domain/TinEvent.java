package io.userpipe.tin.domain;

import java.time.Instant;

/** What the TIN state machine decided happened. */
public sealed interface TinEvent {

  /**
   * A submission is pending from now on, superseding {@code previousStatus} (null: none); the
   * provider is asked (attempt 1) and asked again at {@code nextCheckAt} if nothing arrives.
   */
  record VerificationRequested(
      String submissionId,
      String userId,
      String previousStatus,
      Instant submittedAt,
      Instant nextCheckAt,
      Instant at)
      implements TinEvent {}

  /** The provider's answer decided the submission: matched or mismatched, with the IRS code. */
  record VerificationDecided(
      String submissionId, String status, int irsCode, String reason, Instant at)
      implements TinEvent {}

  /** No decision yet: ask again at {@code nextCheckAt} (a retryable code, not yet, an error). */
  record CheckRescheduled(String submissionId, Instant nextCheckAt) implements TinEvent {}

  /** The timer came due while pending: the provider is asked again, as attempt {@code attempt}. */
  record CheckAskedAgain(String submissionId, int attempt, Instant nextCheckAt)
      implements TinEvent {}

  /** The user is gone: the submission and its timer are forgotten. */
  record Forgotten(String submissionId) implements TinEvent {}
}
