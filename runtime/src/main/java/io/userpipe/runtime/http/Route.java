package io.userpipe.runtime.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A method and a path template such as {@code /v2/users/{id}/verify}. */
record Route(String method, String template, List<String> segments, Handler handler) {

  static Route of(String method, String template, Handler handler) {
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("a route template starts with '/': " + template);
    }
    return new Route(method, template, split(template), handler);
  }

  /** The path parameters when the path fits the template, whatever the method. */
  Optional<Map<String, String>> match(List<String> pathSegments) {
    if (pathSegments.size() != segments.size()) {
      return Optional.empty();
    }
    var params = new HashMap<String, String>();
    for (int i = 0; i < segments.size(); i++) {
      String expected = segments.get(i);
      String actual = pathSegments.get(i);
      if (expected.startsWith("{") && expected.endsWith("}")) {
        if (actual.isEmpty()) {
          return Optional.empty();
        }
        params.put(expected.substring(1, expected.length() - 1), actual);
      } else if (!expected.equals(actual)) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  /**
   * Literal segments outrank parameters, so {@code /users/search} wins over {@code /users/{id}}.
   */
  int specificity() {
    return (int) segments.stream().filter(s -> !s.startsWith("{")).count();
  }

  static List<String> split(String path) {
    String trimmed =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return List.of(trimmed.substring(1).split("/", -1));
  }
}
