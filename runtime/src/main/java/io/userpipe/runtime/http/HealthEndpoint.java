package io.userpipe.runtime.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /health} and {@code GET /ready}, what a load balancer or an orchestrator's probes
 * need.
 *
 * <ul>
 *   <li>{@code /health} (liveness): 200 when every registered check is up, 503 otherwise, with each
 *       check's state in the body. A service that is rebalancing is alive.
 *   <li>{@code /ready} (readiness): 200 only when every readiness check says that reads and writes
 *       will be served now, 503 with {@code Retry-After} otherwise. A service still starting, or
 *       rebalancing, is not ready: a client sent to it would get a 503.
 * </ul>
 *
 * <p>{@code /health} also carries the {@code details} a part registers (the age of the OFAC list in
 * force, say), and lists under {@code warnings} each detail's {@code warning} entry. A warning
 * never changes the status or the status code: it is for a person to act on, while a probe that
 * restarted or unrouted the service on it would only make things worse.
 */
public final class HealthEndpoint {

  /** The key of a detail map whose value, when present, is also listed under {@code warnings}. */
  public static final String WARNING = "warning";

  private final Map<String, Supplier<String>> checks = new ConcurrentHashMap<>();
  private final Map<String, BooleanSupplier> readiness = new ConcurrentHashMap<>();
  private final Map<String, Supplier<Map<String, Object>>> details = new ConcurrentHashMap<>();

  /** A named check answering its state; "RUNNING" and "UP" count as healthy. */
  public HealthEndpoint register(String name, Supplier<String> state) {
    checks.put(name, state);
    return this;
  }

  /**
   * Named details shown under {@code details}; a non-null {@code warning} entry is also listed
   * under {@code warnings}, and neither changes the status.
   */
  public HealthEndpoint registerDetails(String name, Supplier<Map<String, Object>> detail) {
    details.put(name, detail);
    return this;
  }

  /** A named readiness check: true when this part serves reads and writes now. */
  public HealthEndpoint registerReadiness(String name, BooleanSupplier ready) {
    readiness.put(name, ready);
    return this;
  }

  public void mount(HttpService http) {
    http.route("GET", "/health", request -> answer());
    http.route("GET", "/ready", request -> readiness());
  }

  Response answer() {
    var states = new LinkedHashMap<String, String>();
    boolean up = true;
    for (var check : new TreeMap<>(checks).entrySet()) {
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
    var shown = new LinkedHashMap<String, Object>();
    var warnings = new LinkedHashMap<String, Object>();
    for (var detail : new TreeMap<>(details).entrySet()) {
      try {
        Map<String, Object> values = detail.getValue().get();
        shown.put(detail.getKey(), values);
        if (values.get(WARNING) != null) {
          warnings.put(detail.getKey(), values.get(WARNING));
        }
      } catch (RuntimeException e) {
        shown.put(detail.getKey(), Map.of("error", String.valueOf(e.getMessage())));
      }
    }
    if (!shown.isEmpty()) {
      body.put("details", shown);
    }
    if (!warnings.isEmpty()) {
      body.put("warnings", warnings);
    }
    return Response.of(up ? 200 : 503, body);
  }

  /** Whether every readiness check passes now (false when none is registered yet). */
  public boolean isReady() {
    if (readiness.isEmpty()) {
      return false;
    }
    for (var check : readiness.values()) {
      if (!safely(check)) {
        return false;
      }
    }
    return true;
  }

  Response readiness() {
    var states = new LinkedHashMap<String, String>();
    boolean ready = !readiness.isEmpty();
    for (var check : new TreeMap<>(readiness).entrySet()) {
      boolean ok = safely(check.getValue());
      states.put(check.getKey(), ok ? "READY" : "NOT_READY");
      ready &= ok;
    }
    var body = new LinkedHashMap<String, Object>();
    body.put("status", ready ? "READY" : "NOT_READY");
    body.put("checks", states);
    return ready ? Response.of(200, body) : new Response(503, body, Map.of("Retry-After", "1"));
  }

  private static boolean safely(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
