package io.userpipe.ofac.domain;

import io.userpipe.ofac.domain.OfacDecision.Accepted;
import io.userpipe.ofac.domain.OfacDecision.Rejected;
import io.userpipe.ofac.domain.OfacEvent.Screened;
import io.userpipe.ofac.domain.OfacEvent.StatusChanged;
import io.userpipe.ofac.domain.OfacInput.Review;
import io.userpipe.ofac.domain.OfacInput.Screen;
import io.userpipe.ofac.domain.OfacInput.SubmitIdVerification;
import io.userpipe.schemas.vocabulary.OfacStatus;
import io.userpipe.schemas.vocabulary.RejectionCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The OFAC status life cycle as a pure pair: {@code decide(state, input)} says what happens, {@code
 * evolve(state, event)} applies it. No Kafka, no Avro, no clock.
 *
 * <p>The rules (docs/OFAC.md, "The life cycle"):
 *
 * <ul>
 *   <li>A screening of a user not screened yet, or unflagged, sets {@code unflagged} or {@code
 *       id_verification_required}.
 *   <li>Once a user is {@code id_verification_required}, {@code in_review} or {@code flagged}, a
 *       (re-)screening adds findings and never lowers the status; a finding that no longer matches
 *       stays in the evidence marked with what changed. Only ID verification ({@code
 *       id_verification_required} to {@code in_review}) and a reviewer ({@code in_review} to {@code
 *       unflagged} or {@code flagged}) move it.
 *   <li>A reviewer decides one version of the case: every change of status or evidence makes a new
 *       one, and a decision on another is a conflict. Two reviewers deciding the same version give
 *       one decision and one conflict.
 *   <li>A screening publishes a change when the status or the evidence changes, and after every
 *       change of the name or date of birth (the case is not the one a reviewer saw any more).
 *   <li>A clearance holds for the entry as the reviewer saw it and for the profile screened: a
 *       match against another entry, a changed entry, or a changed name or date of birth raises the
 *       status again.
 * </ul>
 */
public final class OfacDecider {
  /** The most findings a screening adds to a case. */
  public static final int NEW_FINDINGS = 3;

  /** The most findings a case keeps, those that match first. */
  public static final int MAX_FINDINGS = 10;

  private OfacDecider() {}

  /** Decides an input about a user; {@code state} is null for a user never seen. */
  public static OfacDecision decide(OfacCase state, OfacInput input) {
    if (input instanceof Screen screen) {
      return screen(state == null ? OfacCase.NEW : state, screen);
    }
    if (state == null || state.status() == null) {
      return new Rejected(RejectionCode.NOT_FOUND, "user_id", "the user has not been screened");
    }
    if (input instanceof SubmitIdVerification verification) {
      return idVerification(state, verification);
    }
    return review(state, (Review) input);
  }

  private static OfacDecision screen(OfacCase state, Screen screen) {
    boolean profileChanged =
        screen.cause() == OfacInput.Cause.PROFILE_CHANGED
            || screen.cause() == OfacInput.Cause.DATE_OF_BIRTH_SUPPLIED;
    Map<Integer, String> cleared = profileChanged ? Map.of() : state.cleared();
    List<Finding> found = new ArrayList<>();
    for (Finding m : screen.matches()) {
      if (found.size() == NEW_FINDINGS) {
        break;
      }
      if (!m.fingerprint().equals(cleared.get(m.entNum()))) {
        found.add(m);
      }
    }
    List<OfacEvent> events = new ArrayList<>();
    events.add(
        new Screened(
            screen.listVersion(),
            screen.matcherVersion(),
            profileChanged && !state.cleared().isEmpty()));
    OfacStatus previous = state.status();
    OfacStatus status;
    List<Finding> evidence;
    if (previous == null || !previous.held()) {
      status = found.isEmpty() ? OfacStatus.UNFLAGGED : OfacStatus.ID_VERIFICATION_REQUIRED;
      evidence = found;
    } else {
      // Nothing lowers a held status automatically: the findings that no longer match stay, with
      // what changed, for the reviewer to weigh.
      status = previous;
      evidence = merge(found, state.evidence(), screen);
    }
    // A changed name or date of birth is new evidence even when the outcome stays: a new version
    // of the case (a reviewer's pending decision is about the old profile), and a record the
    // write's answer can wait for.
    if (previous == null
        || status != previous
        || !same(evidence, state.evidence())
        || profileChanged) {
      boolean rescreening =
          screen.cause() == OfacInput.Cause.LIST_VERSION
              || screen.cause() == OfacInput.Cause.MATCHER_VERSION;
      events.add(
          new StatusChanged(
              previous,
              status,
              rescreening ? StatusChanged.RESCREENING : StatusChanged.SCREENING,
              evidence,
              screen.listVersion(),
              screen.matcherVersion(),
              state.screeningVersion() + 1,
              null,
              null,
              null));
    }
    return new Accepted(events);
  }

  /** The findings now, then those of the case that no longer match, marked with why. */
  private static List<Finding> merge(List<Finding> found, List<Finding> before, Screen screen) {
    List<Finding> evidence = new ArrayList<>(found);
    Set<Integer> now = new HashSet<>();
    found.forEach(f -> now.add(f.entNum()));
    for (Finding f : before) {
      if (evidence.size() == MAX_FINDINGS) {
        break;
      }
      if (!now.contains(f.entNum())) {
        evidence.add(f.matches() ? f.lapsedBy(lapse(f, screen)) : f);
      }
    }
    return evidence;
  }

  private static String lapse(Finding f, Screen screen) {
    if (screen.delisted().contains(f.entNum())) {
      return Finding.DELISTED;
    }
    return switch (screen.cause()) {
      case PROFILE_CHANGED -> Finding.PROFILE_CHANGED;
      case DATE_OF_BIRTH_SUPPLIED -> Finding.DATE_OF_BIRTH_SUPPLIED;
      case MATCHER_VERSION -> Finding.MATCHER_CHANGED;
      case SCREENING, LIST_VERSION -> Finding.ENTRY_CHANGED;
    };
  }

  /** The same entries, matching or lapsed the same way (a score moving alone is no change). */
  private static boolean same(List<Finding> a, List<Finding> b) {
    return keys(a).equals(keys(b));
  }

  private static Map<Integer, String> keys(List<Finding> evidence) {
    Map<Integer, String> keys = new HashMap<>();
    evidence.forEach(f -> keys.put(f.entNum(), Objects.toString(f.lapsed(), "")));
    return keys;
  }

  private static OfacDecision idVerification(OfacCase state, SubmitIdVerification command) {
    if (state.status() != OfacStatus.ID_VERIFICATION_REQUIRED) {
      return conflict(
          "ofac_status is "
              + state.status().wire()
              + ": an ID verification is taken only when it is "
              + OfacStatus.ID_VERIFICATION_REQUIRED.wire());
    }
    return new Accepted(
        List.of(
            new StatusChanged(
                state.status(),
                OfacStatus.IN_REVIEW,
                StatusChanged.ID_VERIFICATION,
                state.evidence(),
                state.listVersion(),
                state.matcherVersion(),
                state.screeningVersion() + 1,
                command.commandId(),
                null,
                null)));
  }

  private static OfacDecision review(OfacCase state, Review review) {
    if (review.screeningVersion() != null
        && review.screeningVersion() != state.screeningVersion()) {
      return new Rejected(
          RejectionCode.CONFLICT,
          "screening_version",
          "the decision is about screening version "
              + review.screeningVersion()
              + ", but the case is at version "
              + state.screeningVersion()
              + " (ofac_status "
              + state.status().wire()
              + "): review the case as it is now");
    }
    if (state.status() != OfacStatus.IN_REVIEW) {
      return conflict(
          "ofac_status is "
              + state.status().wire()
              + ": only a user in_review can be cleared or confirmed");
    }
    return new Accepted(
        List.of(
            new StatusChanged(
                state.status(),
                review.clear() ? OfacStatus.UNFLAGGED : OfacStatus.FLAGGED,
                StatusChanged.REVIEW,
                state.evidence(),
                state.listVersion(),
                state.matcherVersion(),
                state.screeningVersion() + 1,
                review.commandId(),
                review.reviewer(),
                review.note())));
  }

  private static Rejected conflict(String message) {
    return new Rejected(RejectionCode.CONFLICT, "ofac_status", message);
  }

  /** Applies an event to the case ({@code state} null for a user never seen). */
  public static OfacCase evolve(OfacCase state, OfacEvent event) {
    OfacCase s = state == null ? OfacCase.NEW : state;
    if (event instanceof Screened screened) {
      return new OfacCase(
          s.status(),
          s.evidence(),
          screened.clearancesLapse() ? Map.of() : s.cleared(),
          screened.listVersion(),
          screened.matcherVersion(),
          s.screeningVersion());
    }
    StatusChanged changed = (StatusChanged) event;
    if (StatusChanged.REVIEW.equals(changed.reason()) && changed.status() == OfacStatus.UNFLAGGED) {
      // The clearance covers every entry the reviewer saw, as it was then.
      Map<Integer, String> cleared = new HashMap<>(s.cleared());
      changed.evidence().forEach(f -> cleared.put(f.entNum(), f.fingerprint()));
      return new OfacCase(
          changed.status(),
          List.of(),
          cleared,
          s.listVersion(),
          s.matcherVersion(),
          changed.screeningVersion());
    }
    return new OfacCase(
        changed.status(),
        changed.evidence(),
        s.cleared(),
        s.listVersion(),
        s.matcherVersion(),
        changed.screeningVersion());
  }

  /** Applies every event of an accepted decision; a refused one changes nothing. */
  public static OfacCase evolve(OfacCase state, OfacDecision decision) {
    OfacCase s = state;
    if (decision instanceof Accepted accepted) {
      for (OfacEvent e : accepted.events()) {
        s = evolve(s, e);
      }
    }
    return s;
  }
}
