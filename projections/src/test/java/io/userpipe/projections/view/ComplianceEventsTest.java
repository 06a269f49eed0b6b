package io.userpipe.projections.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.ComplianceView;
import io.userpipe.schemas.UserView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComplianceEventsTest {

  private static final Instant T = Instant.parse("2026-11-24T12:00:00Z");
  private static final ComplianceEvents.Cause CAUSE =
      new ComplianceEvents.Cause("source-1", T, "p1", "because", Map.of("k", "v"));

  private static UserView view(String status, List<String> platforms, String tin, boolean deleted) {
    return UserView.newBuilder()
        .setId("u1")
        .setVersion(1)
        .setPlatforms(platforms)
        .setStatus(status)
        .setCreated(T)
        .setUpdated(T)
        .setDeleted(deleted)
        .setCompliance(ComplianceView.newBuilder().setTaxIdVerification(tin).build())
        .build();
  }

  private static List<String> types(List<ComplianceEvent> events) {
    return events.stream().map(ComplianceEvent::getType).toList();
  }

  @Test
  void aNewViewIsAUserCreated() {
    var events =
        ComplianceEvents.between(
            null, view("unverified", List.of("p1"), "unsubmitted", false), CAUSE);
    assertEquals(List.of("user_created"), types(events));
    assertEquals("p1", events.get(0).getPlatformId());
  }

  @Test
  void eachChangeIsItsOwnEvent() {
    var before = view("unverified", List.of("p1"), "unsubmitted", false);
    assertEquals(
        List.of("user_connected"),
        types(
            ComplianceEvents.between(
                before, view("unverified", List.of("p1", "p2"), "unsubmitted", false), CAUSE)));
    assertEquals(
        List.of("user_verified"),
        types(
            ComplianceEvents.between(
                before, view("verified", List.of("p1"), "unsubmitted", false), CAUSE)));
    assertEquals(
        List.of("user_deleted"),
        types(
            ComplianceEvents.between(
                before, view("unverified", List.of("p1"), "unsubmitted", true), CAUSE)));
  }

  @Test
  void aTinStatusChangeCarriesBothStatusesTheReasonAndTheEvidence() {
    var event =
        ComplianceEvents.between(
                view("unverified", List.of("p1"), "pending", false),
                view("unverified", List.of("p1"), "matched", false),
                CAUSE)
            .get(0);
    assertEquals("tin_status_changed", event.getType());
    assertEquals("pending", event.getPreviousStatus());
    assertEquals("matched", event.getNewStatus());
    assertEquals("because", event.getReason());
    assertEquals("v", event.getEvidence().get("k"));
  }

  @Test
  void noChangeNoEventAndAReplayGivesTheSameIds() {
    var v = view("unverified", List.of("p1"), "unsubmitted", false);
    assertTrue(ComplianceEvents.between(v, v, CAUSE).isEmpty());
    var first = ComplianceEvents.between(null, v, CAUSE);
    var again = ComplianceEvents.between(null, v, CAUSE);
    assertEquals(first.get(0).getEventId(), again.get(0).getEventId());
  }
}
