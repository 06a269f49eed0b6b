package io.userpipe.projections.view;

import io.userpipe.schemas.ComplianceChange;
import io.userpipe.schemas.ComplianceHistory;
import io.userpipe.schemas.OfacEvidence;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.TinVerification;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Folds OFAC and TIN status changes into a person's compliance history: pure, and independent of
 * the order in which a replay interleaves {@code ofac.screenings} and {@code tin.verifications}
 * (changes are ordered by when they occurred, then by event id, and a change folded twice is kept
 * once), so a view rebuild reproduces the same history.
 */
public final class ComplianceHistories {

  public static final String OFAC = "ofac";
  public static final String TIN = "tin";

  /** The matcher of OFAC changes recorded before matcher versions were (ofac-screener's first). */
  public static final String FIRST_MATCHER_VERSION = "1";

  /** The order of a history: when the change occurred, then its event id. */
  public static final Comparator<ComplianceChange> ORDER =
      Comparator.comparing(ComplianceChange::getOccurredAt)
          .thenComparing(ComplianceChange::getEventId);

  private ComplianceHistories() {}

  /**
   * Which of the person's names matched an entry (never the name itself). Evidence written before
   * tax-form names were screened has none: only the profile's name was screened then.
   */
  public static String nameSource(OfacEvidence e) {
    return e.getNameSource() == null ? "profile" : e.getNameSource();
  }

  /**
   * The matcher version that found an OFAC change's evidence, from what the change recorded: a
   * change recorded before matcher versions were (null) was found by the first.
   */
  public static String matcherVersion(String recorded) {
    return recorded == null ? FIRST_MATCHER_VERSION : recorded;
  }

  public static ComplianceHistory fold(ComplianceHistory before, OfacStatusChanged change) {
    return add(
        before,
        change.getUserId(),
        ComplianceChange.newBuilder()
            .setEventId(change.getEventId())
            .setKind(OFAC)
            .setOccurredAt(change.getOccurredAt())
            .setPreviousStatus(change.getPreviousStatus())
            .setStatus(change.getStatus())
            .setReason(change.getReason())
            .setListVersion(change.getListVersion())
            .setMatcherVersion(change.getMatcherVersion())
            .setEvidence(new ArrayList<>(change.getEvidence()))
            .setReviewer(change.getReviewer())
            .setNote(change.getNote())
            .setCommandId(change.getCommandId())
            .setIdVerificationProvider(change.getIdVerificationProvider())
            .setIdVerificationReference(change.getIdVerificationReference())
            .build());
  }

  public static ComplianceHistory fold(ComplianceHistory before, TinVerification change) {
    return add(
        before,
        change.getUserId(),
        ComplianceChange.newBuilder()
            .setEventId(change.getEventId())
            .setKind(TIN)
            .setOccurredAt(change.getOccurredAt())
            .setPreviousStatus(change.getFromStatus())
            .setStatus(change.getToStatus())
            .setReason(change.getReason())
            .setSubmissionId(change.getSubmissionId())
            .setIrsCode(change.getIrsCode())
            .build());
  }

  private static ComplianceHistory add(
      ComplianceHistory before, String userId, ComplianceChange change) {
    List<ComplianceChange> changes =
        before == null ? new ArrayList<>() : new ArrayList<>(before.getChanges());
    if (changes.stream().anyMatch(c -> c.getEventId().equals(change.getEventId()))) {
      return before; // folded already (a redelivery)
    }
    changes.add(change);
    changes.sort(ORDER);
    return ComplianceHistory.newBuilder().setUserId(userId).setChanges(changes).build();
  }
}
