package io.userpipe.projections.view;

import io.userpipe.schemas.ComplianceView;
import io.userpipe.schemas.UserView;
import io.userpipe.schemas.vocabulary.OfacStatus;
import io.userpipe.schemas.vocabulary.TinStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a platform may pay a user, and if not, why: every reason at once, so the platform knows
 * all that is missing.
 */
public final class Payability {

  public static final String PHONE_NOT_VERIFIED = "phone_not_verified";
  public static final String TIN_NOT_MATCHED = "tin_not_matched";
  public static final String OFAC_NOT_UNFLAGGED = "ofac_status_not_unflagged";
  public static final String NO_PAYOUT_METHOD = "no_payout_method";

  private Payability() {}

  /** Empty when the user is payable. */
  public static List<String> reasonsNotPayable(UserView view) {
    List<String> reasons = new ArrayList<>();
    ComplianceView c = view.getCompliance();
    if (!UserViewFolder.VERIFIED.equals(view.getStatus())) {
      reasons.add(PHONE_NOT_VERIFIED);
    }
    // A W-8BEN makes a foreign payee; everyone else is a US payee, whose TIN must match.
    if (!c.getW8BenCollected() && !TinStatus.MATCHED.equals(c.getTaxIdVerification())) {
      reasons.add(TIN_NOT_MATCHED);
    }
    if (!OfacStatus.UNFLAGGED.wire().equals(c.getOfacStatus())) {
      reasons.add(OFAC_NOT_UNFLAGGED);
    }
    if (view.getDefaultPayoutMethod() == null) {
      reasons.add(NO_PAYOUT_METHOD);
    }
    return reasons;
  }
}
