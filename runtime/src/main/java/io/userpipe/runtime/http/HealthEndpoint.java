package io.userpipe.runtime.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code GET /health}: 200 when every registered check is up, 503 otherwise, with each check's
 * state in the body — what a load balancer or an orchestrator's probe needs.
 */
public final class HealthEndpoint {

  private final Map<String, Supplier<String>> checks = new ConcurrentHashMap<>();

  /** A named check answering its state; "RUNNING" and "UP" count as healthy. */
  public HealthEndpoint register(String name, Supplier<String> state) {
    checks.put(name, state);
    return this;
  }

  public void mount(HttpService http) {
    http.route("GET", "/health", request -> answer());
  }

  Response answer() {
    var states = new LinkedHashMap<String, String>();
    boolean up = true;
    for (var check : new java.util.TreeMap<>(checks).entrySet()) {
      String state;
      try {
        state = check.getValue().get();
      } catch (RuntimeException e) {
        state = "ERROR: " + e.getMessage();
      }
      states.put(check.getKey(), state);
      up &= "RUNNING".equals(state) || "UP".equals(state);
    }
    var body = new LinkedHashMap<String, Object>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("checks", states);
    return Response.of(up ? 200 : 503, body);
  }
}
