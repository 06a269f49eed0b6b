package io.userpipe.projections.view;

import io.userpipe.schemas.PlatformConnected;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserView;
import java.util.ArrayList;
import java.util.HashMap;

/**
 * Folds one user event into the user view: pure, so a replay of the same events builds the same
 * view. Events at or below the view's version were folded in already (a redelivery) and change
 * nothing.
 */
public final class UserViewFolder {

  /** The view status of a user who has not proven the phone yet. */
  public static final String UNVERIFIED = "unverified";

  private UserViewFolder() {}

  public static UserView fold(UserView before, UserEvent event) {
    if (before != null && event.getVersion() <= before.getVersion()) {
      return before;
    }
    Object payload = event.getPayload();
    if (payload instanceof UserCreated created) {
      return UserView.newBuilder()
          .setId(event.getUserId())
          .setVersion(event.getVersion())
          .setPlatforms(new ArrayList<>(java.util.List.of(event.getPlatformId())))
          .setFirstName(created.getFirstName())
          .setLastName(created.getLastName())
          .setEmail(created.getEmail())
          .setPhone(created.getPhone())
          .setUsername(created.getUsername())
          .setDateOfBirth(created.getDateOfBirth())
          .setStatus(UNVERIFIED)
          .setMetadata(new HashMap<>(created.getMetadata()))
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
    }
    return after.setUpdated(event.getOccurredAt()).build();
  }
}
