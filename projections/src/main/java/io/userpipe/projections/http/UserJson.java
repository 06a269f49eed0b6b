package io.userpipe.projections.http;

import io.userpipe.projections.view.Payability;
import io.userpipe.projections.view.UserViewFolder;
import io.userpipe.schemas.Address;
import io.userpipe.schemas.ComplianceView;
import io.userpipe.schemas.PayoutMethodSummary;
import io.userpipe.schemas.UserProfile;
import io.userpipe.schemas.UserView;
import io.userpipe.schemas.vocabulary.OfacStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Renders a user in Dots' v2 shape ({@link UserBody}). The derivations are listed in {@code
 * docs/API.md}'s compatibility table.
 */
final class UserJson {

  private UserJson() {}

  /** Why a pending platform may not pay the person: it is not connected yet. */
  static final String CONNECTION_PENDING = "connection_pending";

  /** Dots' user statuses that this service derives from the OFAC status (docs/API.md). */
  static final String IN_REVIEW = "in_review";

  static final String DISABLED = "disabled";

  /**
   * The metadata key under which a string {@code metadata} is kept: Dots takes a string or an
   * object, the events keep a map of strings. An object with this (empty) key is refused at the
   * edge, so the two never meet.
   */
  static final String STRING_METADATA_KEY = io.userpipe.schemas.vocabulary.Metadata.STRING_KEY;

  /** What an operator sees: the person, and no platform's metadata. */
  static UserBody render(UserReader.ReadableUser user) {
    return render(SeenUser.byOperator(user));
  }

  /**
   * The person as one platform sees them. A pending platform gets the same shape with only what it
   * sent itself: everything else null or false, no compliance detail, no payout method, OFAC status
   * not disclosed ({@code in_review}, see {@link #ofacStatus}), and the {@code connection}
   * extension saying it is pending.
   */
  static UserBody render(SeenUser seen) {
    UserView v = seen.view();
    UserProfile p = seen.profile();
    boolean pending = seen.pending();
    Instant created = pending ? seen.connection().getSince() : v.getCreated();
    PayoutMethodSummary defaultMethod =
        pending
            ? null
            : v.getPayoutMethods().stream()
                .filter(m -> m.getId().equals(v.getDefaultPayoutMethod()))
                .findFirst()
                .orElse(null);
    List<String> reasons = pending ? List.of(CONNECTION_PENDING) : Payability.reasonsNotPayable(v);
    return new UserBody(
        v.getId(),
        p == null ? null : p.getFirstName(),
        p == null ? null : p.getLastName(),
        p == null ? null : p.getEmail(),
        p == null || p.getPhone() == null
            ? null
            : new UserBody.PhoneNumber(
                p.getPhone().getCountryCode(), p.getPhone().getNationalNumber()),
        p == null ? null : p.getUsername(),
        p == null ? null : p.getDateOfBirth(),
        p == null ? null : address(p.getAddress()),
        pending ? UserViewFolder.UNVERIFIED : status(v),
        defaultMethod == null ? null : defaultMethod.getKind(),
        defaultMethod == null ? null : PayoutMethodBody.of(defaultMethod, defaultMethod.getId()),
        pending ? PENDING_COMPLIANCE : compliance(v, p),
        metadata(seen.metadata()),
        iso(created),
        iso(pending ? created : v.getUpdated()),
        reasons.isEmpty(),
        reasons,
        CodeDeliveryJson.render(v.getLastCode(), seen.connection()),
        seen.connection() == null
            ? null
            : new UserBody.ConnectionBody(seen.connection().getStatus().toString()));
  }

  /**
   * Dots' user status. Phone verification gives {@code unverified} / {@code verified}; a sanctions
   * finding overrides it: {@code disabled} while the person is {@code flagged}, {@code in_review}
   * while ID verification or a reviewer's decision is outstanding (docs/API.md, "Statuses").
   */
  static String status(UserView v) {
    String ofac = v.getCompliance().getOfacStatus();
    if (OfacStatus.FLAGGED.wire().equals(ofac)) {
      return DISABLED;
    }
    if (OfacStatus.ID_VERIFICATION_REQUIRED.wire().equals(ofac)
        || OfacStatus.IN_REVIEW.wire().equals(ofac)) {
      return IN_REVIEW;
    }
    return v.getStatus();
  }

  /**
   * One of Dots' four values, always. A person not screened yet (a write's answer waits for the
   * verdict, so only an outage of ofac-screener shows this) reads {@code in_review}: a verdict is
   * outstanding, and nothing but a verdict says {@code unflagged}. The same for a pending platform,
   * which may not learn the person's status before they consent.
   */
  static String ofacStatus(String held) {
    return held == null ? OfacStatus.IN_REVIEW.wire() : held;
  }

  /** A string metadata is answered as the string it was; an object as the object. */
  static Object metadata(Map<String, String> metadata) {
    if (metadata != null && metadata.size() == 1 && metadata.containsKey(STRING_METADATA_KEY)) {
      return metadata.get(STRING_METADATA_KEY);
    }
    return metadata == null ? Map.of() : metadata;
  }

  /** The compliance block a pending platform sees: nothing of the person's. */
  private static final UserBody.Compliance PENDING_COMPLIANCE =
      new UserBody.Compliance(
          false,
          "unsubmitted",
          false,
          false,
          true,
          false,
          false,
          true,
          false,
          null,
          new UserBody.W9(null, false, false, "unsubmitted"),
          new UserBody.Flags(true, ofacStatus(null), true, null));

  /** The address of the latest tax form that gave one. */
  static UserBody.AddressBody address(Address a) {
    if (a == null) {
      return null;
    }
    return new UserBody.AddressBody(
        a.getLine1(), a.getLine2(), a.getCity(), a.getState(), a.getPostcode(), a.getCountry());
  }

  /** Dots' compliance block. The TIN itself is never here: its last four digits at most. */
  static UserBody.Compliance compliance(UserView v, UserProfile p) {
    ComplianceView c = v.getCompliance();
    String ofac = ofacStatus(c.getOfacStatus());
    // "ofac" and "flagged" are true whenever the status is anything but unflagged
    boolean notCleared = !OfacStatus.UNFLAGGED.wire().equals(ofac);
    boolean addressCollected = p != null && p.getAddress() != null;
    return new UserBody.Compliance(
        c.getTaxIdCollected(),
        c.getTaxIdVerification(),
        addressCollected,
        p != null && p.getDateOfBirth() != null,
        // a US payee's income is reported on a 1099; a W-8BEN makes a foreign payee
        !c.getW8BenCollected(),
        c.getTaxIdCollected(),
        c.getW8BenCollected(),
        notCleared,
        c.getIdVerified(),
        c.getTinLast4(),
        new UserBody.W9(
            c.getEntityType(), c.getTaxIdCollected(), addressCollected, c.getTaxIdVerification()),
        new UserBody.Flags(
            notCleared, ofac, v.getDefaultPayoutMethod() == null, iso(c.getOfacScreenedAt())));
  }

  private static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
