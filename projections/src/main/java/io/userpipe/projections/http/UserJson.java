package io.userpipe.projections.http;

import io.userpipe.projections.view.Payability;
import io.userpipe.runtime.http.Json;
import io.userpipe.schemas.Address;
import io.userpipe.schemas.ComplianceView;
import io.userpipe.schemas.PayoutMethodSummary;
import io.userpipe.schemas.UserProfile;
import io.userpipe.schemas.UserView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a user in Dots' JSON shape. */
final class UserJson {

  private UserJson() {}

  static Map<String, Object> render(UserReader.ReadableUser user) {
    UserView v = user.view();
    UserProfile p = user.profile();
    var json = new LinkedHashMap<String, Object>();
    json.put("id", v.getId());
    json.put("first_name", p == null ? null : p.getFirstName());
    json.put("last_name", p == null ? null : p.getLastName());
    json.put("email", p == null ? null : p.getEmail());
    json.put(
        "phone_number",
        p == null
            ? null
            : Json.object(
                "country_code", p.getPhone().getCountryCode(),
                "phone_number", p.getPhone().getNationalNumber()));
    json.put("username", p == null ? null : p.getUsername());
    json.put("date_of_birth", p == null ? null : p.getDateOfBirth());
    json.put("address", p == null ? null : address(p.getAddress()));
    json.put("status", v.getStatus());
    json.put("metadata", p == null ? Map.of() : p.getMetadata());
    json.put("created", iso(v.getCreated()));
    json.put("updated", iso(v.getUpdated()));
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
    return json;
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
    flags.put("ofac", !"unflagged".equals(c.getOfacStatus()));
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
