package io.userpipe.ofac.domain;

import io.userpipe.schemas.vocabulary.OfacStatus;
import java.util.List;

/** What the decider decided happened to a case. */
public sealed interface OfacEvent {

  /**
   * A screening took place (every one, changed outcome or not; kept in the state, not published).
   *
   * @param clearancesLapse the name or date of birth changed: a reviewer's clearance was for the
   *     profile the reviewer saw
   */
  record Screened(String listVersion, String matcherVersion, boolean clearancesLapse)
      implements OfacEvent {}

  /**
   * The case changed: its status, or its evidence. Published on {@code ofac.screenings}.
   *
   * @param reason screening, rescreening, id_verification or review
   * @param matcherVersion the matcher version that found the evidence: the one screening, or the
   *     one that last screened the case for an ID verification or a review
   * @param commandId the ID verification or review that moved it; null for a screening
   */
  record StatusChanged(
      OfacStatus previous,
      OfacStatus status,
      String reason,
      List<Finding> evidence,
      String listVersion,
      String matcherVersion,
      long screeningVersion,
      String commandId,
      String reviewer,
      String note)
      implements OfacEvent {
    public static final String SCREENING = "screening";
    public static final String RESCREENING = "rescreening";
    public static final String ID_VERIFICATION = "id_verification";
    public static final String REVIEW = "review";

    public StatusChanged {
      evidence = List.copyOf(evidence);
    }
  }
}
