package io.userpipe.projections.http;

import io.userpipe.projections.view.Payability;
import io.userpipe.projections.view.UserViewFolder;
import io.userpipe.runtime.http.Json;
import io.userpipe.schemas.Address;
import io.userpipe.schemas.ComplianceView;
import io.userpipe.schemas.PayoutMethodSummary;
import io.userpipe.schemas.UserProfile;
import io.userpipe.schemas.UserView;
import io.userpipe.schemas.vocabulary.OfacStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a user in Dots' JSON shape. */
final class UserJson {

  private UserJson() {}

  /** What an operator sees: the person, and no platform's metadata. */
  static Map<String, Object> render(UserReader.ReadableUser user) {
    return render(SeenUser.byOperator(user));
  }

  /**
   * The person as one platform sees them. A pending platform gets the same shape with only what it
   * sent itself: everything else null or false, no compliance, no payout method, and the {@code
   * connection} extension saying it is pending.
   */
  static Map<String, Object> render(SeenUser seen) {
    UserView v = seen.view();
    UserProfile p = seen.profile();
    boolean pending = seen.pending();
    var json = new LinkedHashMap<String, Object>();
    json.put("id", v.getId());
    json.put("first_name", p == null ? null : p.getFirstName());
    json.put("last_name", p == null ? null : p.getLastName());
    json.put("email", p == null ? null : p.getEmail());
    json.put(
        "phone_number",
        p == null || p.getPhone() == null
            ? null
            : Json.object(
                "country_code", p.getPhone().getCountryCode(),
                "phone_number", p.getPhone().getNationalNumber()));
    json.put("username", p == null ? null : p.getUsername());
    json.put("date_of_birth", p == null ? null : p.getDateOfBirth());
    json.put("address", p == null ? null : address(p.getAddress()));
    json.put("status", pending ? UserViewFolder.UNVERIFIED : v.getStatus());
    json.put("metadata", seen.metadata());
    Instant created = pending ? seen.connection().getSince() : v.getCreated();
    json.put("created", iso(created));
    json.put("updated", iso(pending ? created : v.getUpdated()));
    if (pending) {
      json.put("compliance", PENDING_COMPLIANCE);
      json.put("default_payout_method", null);
      json.put("default_payout_method_details", null);
      json.put("payable", false);
      json.put("unpayable_reasons", List.of(CONNECTION_PENDING));
    } else {
      json.put("compliance", compliance(v.getCompliance()));
      json.put("default_payout_method", v.getDefaultPayoutMethod());
      json.put(
          "default_payout_method_details",
          v.getPayoutMethods().stream()
              .filter(m -> m.getId().equals(v.getDefaultPayoutMethod()))
              .findFirst()
              .map(m -> payoutMethod(m, v.getDefaultPayoutMethod()))
              .orElse(null));
      List<String> reasons = Payability.reasonsNotPayable(v);
      json.put("payable", reasons.isEmpty());
      json.put("unpayable_reasons", reasons);
    }
    // our extension: what became of the last code sent, for the platform it was sent for
    json.put("last_code", CodeDeliveryJson.render(v.getLastCode(), seen.connection()));
    if (seen.connection() != null) {
      // our extension to Dots' shape: whether the person confirmed this platform
      json.put("connection", Json.object("status", seen.connection().getStatus()));
    }
    return json;
  }

  /** Why a pending platform may not pay the person: it is not connected yet. */
  static final String CONNECTION_PENDING = "connection_pending";

  /** The compliance block a pending platform sees: nothing of the person's. */
  private static final Map<String, Object> PENDING_COMPLIANCE = pendingCompliance();

  private static Map<String, Object> pendingCompliance() {
    var w9 = new LinkedHashMap<String, Object>();
    w9.put("entity_type", null);
    w9.put("tax_id_verification", null);
    var flags = new LinkedHashMap<String, Object>();
    flags.put("ofac", false);
    flags.put("ofac_status", null);
    flags.put("ofac_screened_at", null);
    var json = new LinkedHashMap<String, Object>();
    json.put("tax_id_collected", false);
    json.put("tin_last4", null);
    json.put("w9", Collections.unmodifiableMap(w9));
    json.put("w8_ben_collected", false);
    json.put("id_verified", false);
    json.put("flags", Collections.unmodifiableMap(flags));
    return Collections.unmodifiableMap(json);
  }

  /** The address of the latest tax form that gave one. */
  static Map<String, Object> address(Address a) {
    if (a == null) {
      return null;
    }
    var json = new LinkedHashMap<String, Object>();
    json.put("line_1", a.getLine1());
    json.put("line_2", a.getLine2());
    json.put("city", a.getCity());
    json.put("state", a.getState());
    json.put("postcode", a.getPostcode());
    json.put("country", a.getCountry());
    return json;
  }

  /** One payout method as clients see it: kind, id and mask; never the whole account number. */
  static Map<String, Object> payoutMethod(PayoutMethodSummary m, String defaultId) {
    var json = new LinkedHashMap<String, Object>();
    json.put("id", m.getId());
    json.put("type", m.getKind());
    json.put("mask", m.getMask());
    if (m.getAccountType() != null) {
      json.put("account_type", m.getAccountType());
    }
    json.put("default", m.getId().equals(defaultId));
    return json;
  }

  /** Dots' compliance block. The TIN itself is never here: its last four digits at most. */
  static Map<String, Object> compliance(ComplianceView c) {
    var w9 = new LinkedHashMap<String, Object>();
    w9.put("entity_type", c.getEntityType());
    w9.put("tax_id_verification", c.getTaxIdVerification());
    var flags = new LinkedHashMap<String, Object>();
    // "ofac" is true whenever the status is anything but unflagged, unscreened included.
    flags.put("ofac", !OfacStatus.UNFLAGGED.wire().equals(c.getOfacStatus()));
    flags.put("ofac_status", c.getOfacStatus());
    flags.put("ofac_screened_at", iso(c.getOfacScreenedAt()));
    var json = new LinkedHashMap<String, Object>();
    json.put("tax_id_collected", c.getTaxIdCollected());
    json.put("tin_last4", c.getTinLast4());
    json.put("w9", w9);
    json.put("w8_ben_collected", c.getW8BenCollected());
    json.put("id_verified", c.getIdVerified());
    json.put("flags", flags);
    return json;
  }

  private static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
