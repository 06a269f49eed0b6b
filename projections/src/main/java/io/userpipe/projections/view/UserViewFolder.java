package io.userpipe.projections.view;

import io.userpipe.schemas.ComplianceView;
import io.userpipe.schemas.DefaultPayoutMethodChanged;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.PayoutMethodAdded;
import io.userpipe.schemas.PayoutMethodRemoved;
import io.userpipe.schemas.PlatformConnected;
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

/**
 * Folds one user event into the user view: pure, so a replay of the same events builds the same
 * view. Events at or below the view's version were folded in already (a redelivery) and change
 * nothing. Personal data stays sealed: the view keeps the latest sealed profile as it came.
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
      return UserView.newBuilder()
          .setId(event.getUserId())
          .setVersion(event.getVersion())
          .setPlatforms(new ArrayList<>(List.of(event.getPlatformId())))
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
    if (payload instanceof PlatformConnected) {
      var platforms = new ArrayList<>(before.getPlatforms());
      if (!platforms.contains(event.getPlatformId())) {
        platforms.add(event.getPlatformId());
      }
      after.setPlatforms(platforms);
    } else if (payload instanceof UserUpdated updated) {
      after.setProfile(updated.getProfile());
    } else if (payload instanceof UserDeleted) {
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
    return after.setUpdated(latest(before.getUpdated(), event.getOccurredAt())).build();
  }
}
