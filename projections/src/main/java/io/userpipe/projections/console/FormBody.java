package io.userpipe.projections.console;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.Request;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The fields of an HTML form's body ({@code application/x-www-form-urlencoded}), first of each. */
record FormBody(Map<String, String> fields) {

  static FormBody of(Request request) {
    String type = request.header("Content-Type").orElse("");
    if (!type.startsWith("application/x-www-form-urlencoded")) {
      throw new ApiException(415, "unsupported_media_type", "the console takes HTML forms only");
    }
    var fields = new HashMap<String, String>();
    String body = new String(request.body(), StandardCharsets.UTF_8);
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        fields.putIfAbsent(name, value);
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "invalid_request", "malformed form body");
      }
    }
    return new FormBody(Map.copyOf(fields));
  }

  Optional<String> get(String name) {
    return Optional.ofNullable(fields.get(name));
  }

  /** The field, trimmed; empty when it is missing or blank. */
  Optional<String> text(String name) {
    return get(name).map(String::strip).filter(s -> !s.isEmpty());
  }
}
