package io.userpipe.projections.view;

import io.userpipe.schemas.Connection;
import io.userpipe.schemas.UserView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A view's connections: which platforms are connected to the person, which only asked to (pending).
 * A view written before connections existed has only its platforms: each is connected, as it was,
 * and the metadata inside the profile (then the only one) is the first's, the creator's.
 */
public final class Connections {

  public static final String PENDING = "pending";
  public static final String CONNECTED = "connected";

  private Connections() {}

  public static List<Connection> of(UserView view) {
    if (!view.getConnections().isEmpty() || view.getPlatforms().isEmpty()) {
      return view.getConnections();
    }
    List<Connection> upgraded = new ArrayList<>();
    for (String platform : view.getPlatforms()) {
      upgraded.add(
          Connection.newBuilder()
              .setPlatformId(platform)
              .setStatus(CONNECTED)
              .setSince(view.getCreated())
              .setMetadataProfile(upgraded.isEmpty() ? view.getProfile() : null)
              .build());
    }
    return upgraded;
  }

  /** The platform's connection to the person, pending or connected. */
  public static Optional<Connection> of(UserView view, String platformId) {
    return of(view).stream().filter(c -> c.getPlatformId().equals(platformId)).findFirst();
  }

  public static long connected(UserView view) {
    return of(view).stream().filter(c -> CONNECTED.equals(c.getStatus())).count();
  }
}
