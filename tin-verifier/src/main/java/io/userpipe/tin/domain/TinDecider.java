package io.userpipe.tin.domain;

import io.userpipe.schemas.vocabulary.TinStatus;
import io.userpipe.tin.domain.TinCommand.Answered;
import io.userpipe.tin.domain.TinCommand.CheckDue;
import io.userpipe.tin.domain.TinCommand.Failed;
import io.userpipe.tin.domain.TinCommand.Forget;
import io.userpipe.tin.domain.TinCommand.NotYet;
import io.userpipe.tin.domain.TinCommand.Submit;
import io.userpipe.tin.domain.TinEvent.CheckAskedAgain;
import io.userpipe.tin.domain.TinEvent.CheckRescheduled;
import io.userpipe.tin.domain.TinEvent.Forgotten;
import io.userpipe.tin.domain.TinEvent.VerificationDecided;
import io.userpipe.tin.domain.TinEvent.VerificationRequested;
import io.userpipe.tin.provider.IrsCodes;
import java.time.Instant;
import java.util.List;

/**
 * The TIN verification state machine as a pure pair, shaped like {@code UserDecider}: {@code
 * decide(state, command, now)} says what happens, {@code evolve(state, event)} applies it. No
 * Kafka, no Avro, no clock: time comes in as an argument.
 *
 * <p>A submission is pending until the provider's IRS code decides it (0, 6, 7, 8 match; 1, 2, 3
 * mismatch). A verification is never dropped: silence, "not yet", a retryable code (4, 5) or an
 * error keep it pending and set when to ask again (the request timeout, the provider's retry-after,
 * or exponential backoff). A new submission supersedes the old one, so an answer about another
 * submission, or one already decided, changes nothing.
 */
public final class TinDecider {

  private final RetryPolicy retries;

  public TinDecider(RetryPolicy retries) {
    this.retries = retries;
  }

  /** What happens when {@code command} arrives; {@code state} is null without a submission. */
  public List<TinEvent> decide(TinState state, TinCommand command, Instant now) {
    if (command instanceof Submit submit) {
      return List.of(
          new VerificationRequested(
              submit.submissionId(),
              submit.userId(),
              state == null ? null : state.status(),
              submit.submittedAt(),
              now.plus(retries.requestTimeout()),
              now));
    }
    if (command instanceof Answered answered) {
      if (!pendingFor(state, answered.submissionId())) {
        return List.of();
      }
      int code = answered.irsCode();
      if (IrsCodes.isMatch(code) || IrsCodes.isMismatch(code)) {
        String to = IrsCodes.isMatch(code) ? TinStatus.MATCHED : TinStatus.MISMATCHED;
        return List.of(
            new VerificationDecided(state.submissionId(), to, code, IrsCodes.describe(code), now));
      }
      return backoff(state, now);
    }
    if (command instanceof NotYet notYet) {
      if (!pendingFor(state, notYet.submissionId())) {
        return List.of();
      }
      var after = notYet.retryAfter() == null ? retries.requestTimeout() : notYet.retryAfter();
      return List.of(new CheckRescheduled(state.submissionId(), now.plus(after)));
    }
    if (command instanceof Failed failed) {
      return pendingFor(state, failed.submissionId()) ? backoff(state, now) : List.of();
    }
    if (command instanceof CheckDue) {
      if (state == null || !state.pending()) {
        return List.of();
      }
      return List.of(
          new CheckAskedAgain(
              state.submissionId(), state.attempt() + 1, now.plus(retries.requestTimeout())));
    }
    if (command instanceof Forget) {
      return state == null ? List.of() : List.of(new Forgotten(state.submissionId()));
    }
    throw new IllegalArgumentException("unknown command " + command);
  }

  /** The state after {@code event}; null once forgotten. */
  public static TinState evolve(TinState state, TinEvent event) {
    if (event instanceof VerificationRequested r) {
      return new TinState(
          r.submissionId(), r.userId(), TinStatus.PENDING, 1, r.submittedAt(), r.nextCheckAt());
    }
    if (event instanceof VerificationDecided d) {
      return new TinState(
          state.submissionId(),
          state.userId(),
          d.status(),
          state.attempt(),
          state.submittedAt(),
          null);
    }
    if (event instanceof CheckRescheduled c) {
      return new TinState(
          state.submissionId(),
          state.userId(),
          state.status(),
          state.attempt(),
          state.submittedAt(),
          c.nextCheckAt());
    }
    if (event instanceof CheckAskedAgain a) {
      return new TinState(
          state.submissionId(),
          state.userId(),
          state.status(),
          a.attempt(),
          state.submittedAt(),
          a.nextCheckAt());
    }
    if (event instanceof Forgotten) {
      return null;
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  private static boolean pendingFor(TinState state, String submissionId) {
    return state != null && state.submissionId().equals(submissionId) && state.pending();
  }

  private List<TinEvent> backoff(TinState state, Instant now) {
    return List.of(
        new CheckRescheduled(state.submissionId(), now.plus(retries.backoff(state.attempt()))));
  }
}
