package io.userpipe.projections.view;

import io.userpipe.schemas.ComplianceView;
import io.userpipe.schemas.Connection;
import io.userpipe.schemas.ConnectionConfirmed;
import io.userpipe.schemas.ConnectionRequested;
import io.userpipe.schemas.DefaultPayoutMethodChanged;
import io.userpipe.schemas.MetadataChanged;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.PayoutMethodAdded;
import io.userpipe.schemas.PayoutMethodRemoved;
import io.userpipe.schemas.PlatformConnected;
import io.userpipe.schemas.PlatformDisconnected;
import io.userpipe.schemas.TinSubmitted;
import io.userpipe.schemas.TinVerification;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserDeleted;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserUpdated;
import io.userpipe.schemas.UserVerified;
import io.userpipe.schemas.UserView;
import io.userpipe.schemas.W8BenSubmitted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Folds one user event into the user view: pure, so a replay of the same events builds the same
 * view. Events at or below the view's version were folded in already (a redelivery) and change
 * nothing. Personal data stays sealed: the view keeps the latest sealed profile as it came, and
 * each platform's own data (its metadata; while pending, what it sent) sealed on its connection.
 */
public final class UserViewFolder {

  public static final String UNVERIFIED = "unverified";
  public static final String VERIFIED = "verified";
  public static final String PENDING = "pending";

  private UserViewFolder() {}

  /**
   * Folds a TIN verification status change into the view: only one of the current submission counts
   * (a late answer about a superseded TIN changes nothing).
   */
  public static UserView fold(UserView before, TinVerification change) {
    if (before == null
        || before.getDeleted()
        || !change.getSubmissionId().equals(before.getCompliance().getTinSubmissionId())) {
      return before;
    }
    return UserView.newBuilder(before)
        .setCompliance(
            ComplianceView.newBuilder(before.getCompliance())
                .setTaxIdVerification(change.getToStatus())
                .build())
        .setUpdated(latest(before.getUpdated(), change.getOccurredAt()))
        .build();
  }

  /**
   * The later of two times: {@code updated} is the time of the latest change, whatever order a
   * replay interleaves the event topics in.
   */
  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** Folds ofac-screener's status change into compliance.flags. */
  public static UserView fold(UserView before, OfacStatusChanged change) {
    if (before == null || before.getDeleted()) {
      return before;
    }
    var compliance =
        ComplianceView.newBuilder(before.getCompliance()).setOfacStatus(change.getStatus());
    if (change.getReason().endsWith("screening")) {
      compliance.setOfacScreenedAt(change.getOccurredAt());
    }
    Long screened = before.getCompliance().getOfacScreenedVersion();
    if (change.getUserVersion() != null
        && (screened == null || change.getUserVersion() > screened)) {
      compliance.setOfacScreenedVersion(change.getUserVersion());
    }
    if (change.getReason().equals("id_verification")) {
      compliance.setIdVerified(true);
    }
    return UserView.newBuilder(before)
        .setCompliance(compliance.build())
        .setUpdated(latest(before.getUpdated(), change.getOccurredAt()))
        .build();
  }

  public static UserView fold(UserView before, UserEvent event) {
    if (before != null && event.getVersion() <= before.getVersion()) {
      return before;
    }
    Object payload = event.getPayload();
    if (payload instanceof UserCreated created) {
      // the created profile's metadata is the creator's own
      var creator =
          Connection.newBuilder()
              .setPlatformId(event.getPlatformId())
              .setStatus(Connections.CONNECTED)
              .setSince(event.getOccurredAt())
              .setMetadataProfile(created.getProfile())
              .build();
      return UserView.newBuilder()
          .setId(event.getUserId())
          .setVersion(event.getVersion())
          .setPlatforms(new ArrayList<>(List.of(event.getPlatformId())))
          .setConnections(new ArrayList<>(List.of(creator)))
          .setProfile(created.getProfile())
          .setStatus(UNVERIFIED)
          .setCompliance(ComplianceView.newBuilder().build())
          .setCreated(event.getOccurredAt())
          .setUpdated(event.getOccurredAt())
          .build();
    }
    if (before == null) {
      // An event for a user whose creation this view never saw: nothing to fold it into.
      return null;
    }
    var after = UserView.newBuilder(before).setVersion(event.getVersion());
    List<Connection> connections = new ArrayList<>(Connections.of(before));
    String platform = event.getPlatformId();
    if (payload instanceof PlatformConnected) {
      // written before connections existed: connected, as it was then
      if (Connections.of(before, platform).isEmpty()) {
        connections.add(connection(platform, Connections.CONNECTED, event).build());
      }
    } else if (payload instanceof ConnectionRequested requested) {
      connections.add(
          connection(platform, Connections.PENDING, event).setData(requested.getData()).build());
    } else if (payload instanceof ConnectionConfirmed) {
      update(connections, platform, c -> c.setStatus(Connections.CONNECTED));
    } else if (payload instanceof PlatformDisconnected) {
      connections.removeIf(c -> c.getPlatformId().equals(platform));
    } else if (payload instanceof MetadataChanged changed) {
      update(connections, platform, c -> c.setData(changed.getData()).setMetadataProfile(null));
    } else if (payload instanceof UserUpdated updated) {
      after.setProfile(updated.getProfile());
      if (updated.getFieldsSent() == null) {
        // written before connections existed: the profile's metadata was the creator's
        connections.replaceAll(
            c ->
                c.getData() == null && c.getMetadataProfile() != null
                    ? Connection.newBuilder(c).setMetadataProfile(updated.getProfile()).build()
                    : c);
      }
    } else if (payload instanceof UserDeleted) {
      connections.clear(); // their sealed data went with the user's key
      after
          .setDeleted(true)
          .setProfile(null)
          .setPayoutMethods(new ArrayList<>())
          .setDefaultPayoutMethod(null);
    } else if (payload instanceof UserVerified) {
      after.setStatus(VERIFIED);
    } else if (payload instanceof TinSubmitted tin) {
      after.setCompliance(
          ComplianceView.newBuilder(before.getCompliance())
              .setTaxIdCollected(true)
              .setTinLast4(tin.getTinLast4())
              .setEntityType(tin.getEntityType())
              .setTinSubmissionId(tin.getSubmissionId())
              .setTaxIdVerification(PENDING)
              .build());
    } else if (payload instanceof PayoutMethodAdded added) {
      var methods = new ArrayList<>(before.getPayoutMethods());
      methods.add(added.getMethod());
      after.setPayoutMethods(methods);
    } else if (payload instanceof PayoutMethodRemoved removed) {
      var methods = new ArrayList<>(before.getPayoutMethods());
      methods.removeIf(m -> m.getId().equals(removed.getPayoutMethodId()));
      after.setPayoutMethods(methods);
    } else if (payload instanceof DefaultPayoutMethodChanged changed) {
      after.setDefaultPayoutMethod(changed.getPayoutMethodId());
    } else if (payload instanceof W8BenSubmitted) {
      after.setCompliance(
          ComplianceView.newBuilder(before.getCompliance()).setW8BenCollected(true).build());
    }
    return after
        .setConnections(connections)
        .setPlatforms(new ArrayList<>(connections.stream().map(Connection::getPlatformId).toList()))
        .setUpdated(latest(before.getUpdated(), event.getOccurredAt()))
        .build();
  }

  private static Connection.Builder connection(String platform, String status, UserEvent event) {
    return Connection.newBuilder()
        .setPlatformId(platform)
        .setStatus(status)
        .setSince(event.getOccurredAt());
  }

  private static void update(
      List<Connection> connections, String platform, UnaryOperator<Connection.Builder> change) {
    connections.replaceAll(
        c ->
            c.getPlatformId().equals(platform)
                ? change.apply(Connection.newBuilder(c)).build()
                : c);
  }
}
