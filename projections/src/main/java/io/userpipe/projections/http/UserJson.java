package io.userpipe.projections.http;

import io.userpipe.schemas.UserView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders the user view in Dots' JSON shape. */
final class UserJson {

  private UserJson() {}

  static Map<String, Object> render(UserView v) {
    var json = new LinkedHashMap<String, Object>();
    json.put("id", v.getId());
    json.put("first_name", v.getFirstName());
    json.put("last_name", v.getLastName());
    json.put("email", v.getEmail());
    if (v.getPhone() != null) {
      json.put(
          "phone_number",
          Map.of(
              "country_code", v.getPhone().getCountryCode(),
              "phone_number", v.getPhone().getNationalNumber()));
    } else {
      json.put("phone_number", null);
    }
    json.put("username", v.getUsername());
    json.put("date_of_birth", v.getDateOfBirth());
    json.put("status", v.getStatus());
    json.put("metadata", v.getMetadata());
    json.put("created", iso(v.getCreated()));
    json.put("updated", iso(v.getUpdated()));
    return json;
  }

  private static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
