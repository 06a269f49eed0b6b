package io.userpipe.tin.domain;

import java.time.Duration;

/** What the TIN state machine is asked to decide. */
public sealed interface TinCommand {

  /** A user submitted a TIN (a W-9): it supersedes whatever was pending or decided. */
  record Submit(String userId, String submissionId, java.time.Instant submittedAt)
      implements TinCommand {}

  /** The provider answered with an IRS code about a submission. */
  record Answered(String submissionId, int irsCode) implements TinCommand {}

  /** The provider has no answer yet; ask again after {@code retryAfter} (null: its own default). */
  record NotYet(String submissionId, Duration retryAfter) implements TinCommand {}

  /** Asking the provider failed. */
  record Failed(String submissionId, String error) implements TinCommand {}

  /** The durable timer of the user's submission is due. */
  record CheckDue() implements TinCommand {}

  /** The user was deleted: nothing more to verify. */
  record Forget() implements TinCommand {}
}
