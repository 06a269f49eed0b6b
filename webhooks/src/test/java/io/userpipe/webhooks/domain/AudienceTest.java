package io.userpipe.webhooks.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who hears of what, given a person's connections, when an event comes. */
class AudienceTest {

  private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");
  private int ids;

  private ComplianceChange change(String type, String platform, String from, String to) {
    return new ComplianceChange("e" + ids++, "u1", type, from, to, AT, platform);
  }

  private Audience.State given(ComplianceChange... history) {
    var state = Audience.State.NONE;
    for (var c : history) {
      state = Audience.evolve(state, c);
    }
    return state;
  }

  @Test
  void aStatusChangeReachesEveryConnectedPlatform() {
    var state =
        given(
            change("user_created", "A", null, "unverified"),
            change("user_connected", "B", null, null));

    assertEquals(
        List.of("A", "B"),
        Audience.decide(state, change("ofac_status_changed", null, "unflagged", "flagged")));
  }

  @Test
  void aPendingPlatformHearsNothingUntilThePersonConfirms() {
    // B asked (no event: ConnectionRequested makes no compliance event); the person has not
    // confirmed
    var state = given(change("user_created", "A", null, "unverified"));

    assertEquals(
        List.of("A"),
        Audience.decide(state, change("tin_status_changed", "A", "pending", "matched")));
  }

  @Test
  void anotherPlatformsConnectionOrPayoutMethodsNeverReachA() {
    var state = given(change("user_created", "A", null, "unverified"));

    assertEquals(List.of("B"), Audience.decide(state, change("user_connected", "B", null, null)));
    state = Audience.evolve(state, change("user_connected", "B", null, null));
    assertEquals(
        List.of("B"), Audience.decide(state, change("payout_method_added", "B", null, null)));
    assertEquals(
        List.of("A"), Audience.decide(state, change("user_disconnected", "A", null, null)));
  }

  @Test
  void aDisconnectedPlatformHearsNoMoreAndAnUnknownTypeReachesNobody() {
    var state =
        given(
            change("user_created", "A", null, "unverified"),
            change("user_connected", "B", null, null),
            change("user_disconnected", "A", null, null));

    assertEquals(
        List.of("B"),
        Audience.decide(state, change("user_verified", "B", "unverified", "verified")));
    assertEquals(List.of(), Audience.decide(state, change("something_new", "B", null, null)));
    assertEquals(List.of("B"), Audience.decide(state, change("user_deleted", "B", null, null)));
    assertEquals(
        Audience.State.NONE, Audience.evolve(state, change("user_deleted", "B", null, null)));
  }

  @Test
  void thePayloadCarriesTheEventAndNothingOfTheCause() {
    var body =
        new String(
            WebhookPayload.of(
                new ComplianceChange(
                    "e9", "u1", "tin_status_changed", "pending", "matched", AT, "A")),
            StandardCharsets.UTF_8);

    assertEquals(
        "{\"type\":\"tin_status_changed\",\"timestamp\":\"2026-12-03T10:00:00Z\",\"data\":{\"event_id\":\"e9\",\"user_id\":\"u1\",\"previous_status\":\"pending\",\"new_status\":\"matched\",\"occurred_at\":\"2026-12-03T10:00:00Z\"}}",
        body);
    assertFalse(body.contains("\"A\""), "not the causing platform");
  }
}
