package io.userpipe.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A warning is shown to a person without turning the service unhealthy for its probes. */
class HealthEndpointTest {

  @Test
  void aWarningIsListedWhileTheStatusStaysUp() {
    var health =
        new HealthEndpoint()
            .register("svc", () -> "UP")
            .registerDetails(
                "svc.list", () -> Map.of("version", "abc", "warning", "the list is 9 days old"));

    Response answer = health.answer();

    assertEquals(200, answer.status());
    @SuppressWarnings("unchecked")
    var body = (Map<String, Object>) answer.body();
    assertEquals("UP", body.get("status"));
    assertEquals(Map.of("svc.list", "the list is 9 days old"), body.get("warnings"));
    assertEquals(
        Map.of("svc.list", Map.of("version", "abc", "warning", "the list is 9 days old")),
        body.get("details"));
  }

  @Test
  void detailsWithoutAWarningListNoWarnings() {
    var fresh = new HashMap<String, Object>();
    fresh.put("version", "abc");
    fresh.put("warning", null);
    var health =
        new HealthEndpoint().register("svc", () -> "UP").registerDetails("svc.list", () -> fresh);

    @SuppressWarnings("unchecked")
    var body = (Map<String, Object>) health.answer().body();

    assertEquals("UP", body.get("status"));
    assertFalse(body.containsKey("warnings"));
    assertEquals(Map.of("svc.list", fresh), body.get("details"));
  }
}
