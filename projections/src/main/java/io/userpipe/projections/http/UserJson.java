package io.userpipe.projections.http;

import io.userpipe.schemas.UserProfile;
import io.userpipe.schemas.UserView;
import java.time.Instant;
import java.util.LinkedHashMap;
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
            : Map.of(
                "country_code", p.getPhone().getCountryCode(),
                "phone_number", p.getPhone().getNationalNumber()));
    json.put("username", p == null ? null : p.getUsername());
    json.put("date_of_birth", p == null ? null : p.getDateOfBirth());
    json.put("status", v.getStatus());
    json.put("metadata", p == null ? Map.of() : p.getMetadata());
    json.put("created", iso(v.getCreated()));
    json.put("updated", iso(v.getUpdated()));
    return json;
  }

  private static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
