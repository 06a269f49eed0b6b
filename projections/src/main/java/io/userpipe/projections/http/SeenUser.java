package io.userpipe.projections.http;

import io.userpipe.projections.view.Connections;
import io.userpipe.schemas.Connection;
import io.userpipe.schemas.UserProfile;
import io.userpipe.schemas.UserView;
import java.util.Map;

/**
 * A person as one platform sees them ({@link UserReader#seenBy}).
 *
 * @param connection the platform's connection; null for an operator, who is no platform
 * @param profile the shared profile when connected; when pending, only the values the platform sent
 *     itself
 * @param metadata the platform's own metadata, never another's
 */
record SeenUser(
    UserView view, Connection connection, UserProfile profile, Map<String, String> metadata) {

  /** What an operator sees: the person, and no platform's metadata. */
  static SeenUser byOperator(UserReader.ReadableUser user) {
    return new SeenUser(user.view(), null, user.profile(), Map.of());
  }

  boolean pending() {
    return connection != null && Connections.PENDING.equals(connection.getStatus());
  }
}
