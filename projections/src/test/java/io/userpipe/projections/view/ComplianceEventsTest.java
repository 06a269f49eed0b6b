package io.userpipe.projections.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.ComplianceView;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.PayoutMethodSummary;
import io.userpipe.schemas.UserView;
import java.nio.ByteBuffer;
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

  private static PayoutMethodSummary method(String id, String kind, String mask) {
    return new PayoutMethodSummary(
        id,
        kind,
        mask,
        null,
        new EncryptedValue("user:u1", ByteBuffer.wrap(new byte[12]), ByteBuffer.wrap(new byte[1])));
  }

  @Test
  void payoutMethodChangesCarryTheKindAndMaskButNeverTheDetails() {
    var before = view("unverified", List.of("p1"), "unsubmitted", false);
    var added =
        UserView.newBuilder(before)
            .setPayoutMethods(List.of(method("pm_1", "ach", "****6789")))
            .setDefaultPayoutMethod("pm_1")
            .build();
    var events = ComplianceEvents.between(before, added, CAUSE);
    assertEquals(List.of("payout_method_added", "default_payout_method_changed"), types(events));
    assertEquals("ach", events.get(0).getNewStatus());
    assertEquals("****6789", events.get(0).getEvidence().get("mask"));
    assertEquals("pm_1", events.get(0).getEvidence().get("payout_method_id"));
    assertEquals("pm_1", events.get(1).getNewStatus());

    var removed =
        UserView.newBuilder(added).setPayoutMethods(List.of()).setDefaultPayoutMethod(null).build();
    var gone = ComplianceEvents.between(added, removed, CAUSE);
    assertEquals(List.of("payout_method_removed", "default_payout_method_changed"), types(gone));
    assertEquals("ach", gone.get(0).getPreviousStatus());

    var deleted = UserView.newBuilder(removed).setDeleted(true).build();
    assertEquals(
        List.of("user_deleted"),
        types(
            ComplianceEvents.between(
                added, UserView.newBuilder(deleted).setPayoutMethods(List.of()).build(), CAUSE)),
        "a deletion says it all");
  }

  @Test
  void aUserIsPayableWhenVerifiedMatchedUnflaggedAndPaid() {
    var bare = view("unverified", List.of("p1"), "unsubmitted", false);
    assertEquals(
        List.of(
            Payability.PHONE_NOT_VERIFIED,
            Payability.TIN_NOT_MATCHED,
            Payability.OFAC_NOT_UNFLAGGED,
            Payability.NO_PAYOUT_METHOD),
        Payability.reasonsNotPayable(bare));
    var ready =
        UserView.newBuilder(view("verified", List.of("p1"), "matched", false))
            .setPayoutMethods(List.of(method("pm_1", "paypal", "a***@x.com")))
            .setDefaultPayoutMethod("pm_1")
            .build();
    ready.getCompliance().setOfacStatus("unflagged");
    assertTrue(Payability.reasonsNotPayable(ready).isEmpty());
    ready.getCompliance().setOfacStatus("in_review");
    assertEquals(List.of(Payability.OFAC_NOT_UNFLAGGED), Payability.reasonsNotPayable(ready));
    var foreign = view("verified", List.of("p1"), "unsubmitted", false);
    foreign.getCompliance().setW8BenCollected(true);
    foreign.getCompliance().setOfacStatus("unflagged");
    assertEquals(
        List.of(Payability.NO_PAYOUT_METHOD),
        Payability.reasonsNotPayable(foreign),
        "a foreign payee (W-8BEN) needs no matched TIN");
  }
}
