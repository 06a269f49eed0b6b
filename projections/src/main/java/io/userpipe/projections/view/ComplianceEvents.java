package io.userpipe.projections.view;

import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.ComplianceView;
import io.userpipe.schemas.PayoutMethodSummary;
import io.userpipe.schemas.UserView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The public compliance events a change of a user's view means, found by comparing the view before
 * and after: pure, so a replay emits the same events with the same ids.
 */
public final class ComplianceEvents {

  public static final String USER_CREATED = "user_created";
  public static final String USER_CONNECTED = "user_connected";
  public static final String USER_DISCONNECTED = "user_disconnected";
  public static final String USER_VERIFIED = "user_verified";
  public static final String USER_DELETED = "user_deleted";
  public static final String TIN_STATUS_CHANGED = "tin_status_changed";
  public static final String W8BEN_COLLECTED = "w8ben_collected";
  public static final String OFAC_STATUS_CHANGED = "ofac_status_changed";
  public static final String PAYOUT_METHOD_ADDED = "payout_method_added";
  public static final String PAYOUT_METHOD_REMOVED = "payout_method_removed";
  public static final String DEFAULT_PAYOUT_METHOD_CHANGED = "default_payout_method_changed";

  /** What caused the change: its id makes the events' ids; the rest travels with them. */
  public record Cause(
      String sourceId, Instant at, String platformId, String reason, Map<String, String> evidence) {
    public Cause {
      evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
    }
  }

  private ComplianceEvents() {}

  public static List<ComplianceEvent> between(UserView before, UserView after, Cause cause) {
    List<ComplianceEvent> events = new ArrayList<>();
    if (after == null || before == after) {
      return events;
    }
    if (before == null) {
      events.add(event(after, USER_CREATED, null, after.getStatus(), cause));
      return events;
    }
    // A platform that only asked to connect is not connected: the person has not said yes.
    long connectedBefore = Connections.connected(before);
    long connectedAfter = Connections.connected(after);
    if (connectedAfter > connectedBefore) {
      events.add(event(after, USER_CONNECTED, null, null, cause));
    } else if (connectedAfter < connectedBefore && !after.getDeleted()) {
      events.add(event(after, USER_DISCONNECTED, null, null, cause));
    }
    if (!before.getStatus().equals(after.getStatus())) {
      if (UserViewFolder.VERIFIED.equals(after.getStatus())) {
        events.add(event(after, USER_VERIFIED, before.getStatus(), after.getStatus(), cause));
      }
    }
    if (!before.getDeleted() && after.getDeleted()) {
      events.add(event(after, USER_DELETED, null, null, cause));
    }
    ComplianceView b = before.getCompliance();
    ComplianceView a = after.getCompliance();
    if (!b.getTaxIdVerification().equals(a.getTaxIdVerification())) {
      events.add(
          event(
              after,
              TIN_STATUS_CHANGED,
              b.getTaxIdVerification(),
              a.getTaxIdVerification(),
              cause));
    }
    if (!b.getW8BenCollected() && a.getW8BenCollected()) {
      events.add(event(after, W8BEN_COLLECTED, null, null, cause));
    }
    if (!Objects.equals(b.getOfacStatus(), a.getOfacStatus())) {
      events.add(event(after, OFAC_STATUS_CHANGED, b.getOfacStatus(), a.getOfacStatus(), cause));
    }
    if (!after.getDeleted()) { // a deletion says it all: user_deleted
      payoutMethodChanges(before, after, cause, events);
    }
    return events;
  }

  /** Methods added and removed (new or previous status: the kind), and a new default. */
  private static void payoutMethodChanges(
      UserView before, UserView after, Cause cause, List<ComplianceEvent> events) {
    Map<String, PayoutMethodSummary> was = byId(before.getPayoutMethods());
    Map<String, PayoutMethodSummary> is = byId(after.getPayoutMethods());
    is.forEach(
        (id, m) -> {
          if (!was.containsKey(id)) {
            events.add(event(after, PAYOUT_METHOD_ADDED, null, m.getKind(), with(cause, m)));
          }
        });
    was.forEach(
        (id, m) -> {
          if (!is.containsKey(id)) {
            events.add(event(after, PAYOUT_METHOD_REMOVED, m.getKind(), null, with(cause, m)));
          }
        });
    if (!Objects.equals(before.getDefaultPayoutMethod(), after.getDefaultPayoutMethod())) {
      events.add(
          event(
              after,
              DEFAULT_PAYOUT_METHOD_CHANGED,
              before.getDefaultPayoutMethod(),
              after.getDefaultPayoutMethod(),
              cause));
    }
  }

  private static Map<String, PayoutMethodSummary> byId(List<PayoutMethodSummary> methods) {
    Map<String, PayoutMethodSummary> out = new java.util.LinkedHashMap<>();
    methods.forEach(m -> out.put(m.getId(), m));
    return out;
  }

  /** The cause, with the method's id, kind and mask (never more of it) as evidence. */
  private static Cause with(Cause cause, PayoutMethodSummary m) {
    Map<String, String> evidence = new java.util.HashMap<>(cause.evidence());
    evidence.put("payout_method_id", m.getId());
    evidence.put("kind", m.getKind());
    evidence.put("mask", m.getMask());
    return new Cause(cause.sourceId(), cause.at(), cause.platformId(), cause.reason(), evidence);
  }

  private static ComplianceEvent event(
      UserView view, String type, String previous, String next, Cause cause) {
    return ComplianceEvent.newBuilder()
        .setEventId(
            UUID.nameUUIDFromBytes(
                    ("compliance:" + cause.sourceId() + ":" + type)
                        .getBytes(StandardCharsets.UTF_8))
                .toString())
        .setUserId(view.getId())
        .setType(type)
        .setPreviousStatus(previous)
        .setNewStatus(next)
        .setReason(cause.reason())
        .setEvidence(cause.evidence())
        .setOccurredAt(cause.at())
        .setPlatformId(cause.platformId())
        .build();
  }
}
