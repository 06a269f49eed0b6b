package io.userpipe.tin.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Given a submission's state, when a command arrives, then these events (and this state). */
class TinDeciderTest {

  private static final Instant SUBMITTED = Instant.parse("2026-03-01T10:00:00Z");
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:05Z");
  private static final RetryPolicy RETRIES =
      new RetryPolicy(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(10));

  private final TinDecider decider = new TinDecider(RETRIES);

  private static TinState pending(String submission, int attempt) {
    return new TinState(
        submission, "u1", TinStatus.PENDING, attempt, SUBMITTED, NOW.plusSeconds(30));
  }

  private static TinState decided(String submission, String status) {
    return new TinState(submission, "u1", status, 1, SUBMITTED, null);
  }

  /** When: the command on the given state. Then: these events; returns the state after them. */
  private TinState then(TinState given, TinCommand when, List<TinEvent> expected) {
    List<TinEvent> events = decider.decide(given, when, NOW);
    assertEquals(expected, events);
    TinState state = given;
    for (TinEvent e : events) {
      state = TinDecider.evolve(state, e);
    }
    return state;
  }

  @Test
  void aFirstSubmissionIsPendingAndAskedOnce() {
    TinState after =
        then(
            null,
            new Submit("u1", "s1", SUBMITTED),
            List.of(
                new VerificationRequested("s1", "u1", null, SUBMITTED, NOW.plusSeconds(30), NOW)));
    assertEquals(
        new TinState("s1", "u1", TinStatus.PENDING, 1, SUBMITTED, NOW.plusSeconds(30)), after);
  }

  @Test
  void aNewSubmissionSupersedesADecidedOneAndSaysWhatItWas() {
    TinState after =
        then(
            decided("s1", TinStatus.MATCHED),
            new Submit("u1", "s2", SUBMITTED),
            List.of(
                new VerificationRequested(
                    "s2", "u1", TinStatus.MATCHED, SUBMITTED, NOW.plusSeconds(30), NOW)));
    assertEquals("s2", after.submissionId());
    assertEquals(1, after.attempt());
  }

  @Test
  void matchingCodesMatch() {
    for (int code : new int[] {0, 6, 7, 8}) {
      TinState after =
          then(
              pending("s1", 2),
              new Answered("s1", code),
              List.of(
                  new VerificationDecided(
                      "s1",
                      TinStatus.MATCHED,
                      code,
                      io.userpipe.tin.provider.IrsCodes.describe(code),
                      NOW)));
      assertEquals(TinStatus.MATCHED, after.status());
      assertNull(after.nextCheckAt(), "no timer once decided");
      assertEquals(2, after.attempt());
    }
  }

  @Test
  void mismatchingCodesMismatch() {
    for (int code : new int[] {1, 2, 3}) {
      TinState after =
          then(
              pending("s1", 1),
              new Answered("s1", code),
              List.of(
                  new VerificationDecided(
                      "s1",
                      TinStatus.MISMATCHED,
                      code,
                      io.userpipe.tin.provider.IrsCodes.describe(code),
                      NOW)));
      assertEquals(TinStatus.MISMATCHED, after.status());
    }
  }

  @Test
  void aRetryableCodeStaysPendingAndBacksOffByAttempt() {
    // attempt 3: 1 s doubled twice
    TinState after =
        then(
            pending("s1", 3),
            new Answered("s1", 4),
            List.of(new CheckRescheduled("s1", NOW.plusSeconds(4))));
    assertEquals(TinStatus.PENDING, after.status());
    assertEquals(NOW.plusSeconds(4), after.nextCheckAt());
  }

  @Test
  void anErrorBacksOffUpToTheCap() {
    then(
        pending("s1", 30),
        new Failed("s1", "timeout"),
        List.of(new CheckRescheduled("s1", NOW.plus(Duration.ofMinutes(10)))));
  }

  @Test
  void notYetAsksAgainWhenTheProviderSaysOrAfterTheRequestTimeout() {
    then(
        pending("s1", 1),
        new NotYet("s1", Duration.ofHours(2)),
        List.of(new CheckRescheduled("s1", NOW.plus(Duration.ofHours(2)))));
    then(
        pending("s1", 1),
        new NotYet("s1", null),
        List.of(new CheckRescheduled("s1", NOW.plusSeconds(30))));
  }

  @Test
  void anAnswerAboutASupersededOrDecidedSubmissionChangesNothing() {
    then(pending("s2", 1), new Answered("s1", 0), List.of());
    then(decided("s1", TinStatus.MISMATCHED), new Answered("s1", 0), List.of());
    then(null, new Answered("s1", 0), List.of());
    then(pending("s2", 1), new NotYet("s1", null), List.of());
    then(pending("s2", 1), new Failed("s1", "boom"), List.of());
  }

  @Test
  void aDueTimerAsksAPendingSubmissionAgainAsTheNextAttempt() {
    TinState after =
        then(
            pending("s1", 1),
            new CheckDue(),
            List.of(new CheckAskedAgain("s1", 2, NOW.plusSeconds(30))));
    assertEquals(2, after.attempt());
    then(decided("s1", TinStatus.MATCHED), new CheckDue(), List.of());
    then(null, new CheckDue(), List.of());
  }

  @Test
  void aDeletedUsersSubmissionIsForgotten() {
    assertNull(then(pending("s1", 1), new Forget(), List.of(new Forgotten("s1"))));
    then(null, new Forget(), List.of());
  }
}
