package io.userpipe.ofac.topology;

/** The four OFAC statuses of Dots' {@code compliance.flags.ofac_status}. */
public final class OfacStatus {
  public static final String UNFLAGGED = "unflagged";
  public static final String ID_VERIFICATION_REQUIRED = "id_verification_required";
  public static final String IN_REVIEW = "in_review";
  public static final String FLAGGED = "flagged";

  private OfacStatus() {}

  /** Whether a screening may move the user (not while a person is reviewing or has confirmed). */
  static boolean screeningDecides(String status) {
    return status == null || UNFLAGGED.equals(status) || ID_VERIFICATION_REQUIRED.equals(status);
  }
}
