package io.userpipe.projections.http;

import io.userpipe.projections.view.Connections;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.UserKeys;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.serde.AvroLimits;
import io.userpipe.schemas.Connection;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.PlatformData;
import io.userpipe.schemas.UserProfile;
import io.userpipe.schemas.UserView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a user as a client may see it: the view, with its personal data opened under the user's own
 * key. A user whose key has not arrived yet is not readable yet; a deleted user has no key and no
 * personal data left to open.
 */
public final class UserReader {
  static {
    AvroLimits.apply(); // it decodes Avro itself: the limits hold before its first decode
  }

  /** A view, its opened profile (null once deleted) and the user's wrapped key (idem). */
  public record ReadableUser(UserView view, UserProfile profile, EncryptedValue key) {}

  private final ViewQueries views;
  private final UserKeys userKeys;

  public UserReader(ViewQueries views, DataKeys dataKeys) {
    this.views = views;
    this.userKeys = new UserKeys(dataKeys);
  }

  public Optional<ReadableUser> read(String userId) {
    return views.user(userId).flatMap(this::open);
  }

  /** A view just read, opened with the user's key (empty while the key is not readable here). */
  public Optional<ReadableUser> open(UserView v) {
    if (v.getDeleted() || v.getProfile() == null) {
      return Optional.of(new ReadableUser(v, null, null));
    }
    String userId = v.getId();
    Optional<EncryptedValue> key = views.userKey(userId);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ReadableUser(v, openProfile(key.get(), userId, v.getProfile()), key.get()));
  }

  /**
   * A user the platform may see (connected, or pending: then only what it sent); for every other
   * platform the user does not exist: 404, so ids do not leak. The one tenancy check of the
   * platforms' user routes.
   */
  public ReadableUser visibleTo(String platformId, String userId) {
    return read(userId)
        .filter(u -> isVisibleTo(u, platformId))
        .orElseThrow(() -> ApiException.notFound("no user " + userId));
  }

  static boolean isVisibleTo(ReadableUser user, String platformId) {
    return !user.view().getDeleted() && Connections.of(user.view(), platformId).isPresent();
  }

  /**
   * The person as one platform may see them. Connected: the shared profile and its own metadata.
   * Pending: only the values it sent itself and its own metadata; nothing of the person's.
   */
  public SeenUser seenBy(ReadableUser user, String platformId) {
    UserView v = user.view();
    Connection connection =
        Connections.of(v, platformId)
            .orElseThrow(() -> ApiException.notFound("no user " + v.getId()));
    PlatformData data =
        connection.getData() == null ? null : openPlatformData(user, connection.getData());
    Map<String, String> metadata;
    if (data != null) {
      metadata = data.getMetadata();
    } else if (connection.getMetadataProfile() == null) {
      metadata = Map.of();
    } else if (connection.getMetadataProfile().equals(v.getProfile())) {
      metadata = user.profile().getMetadata();
    } else {
      metadata = openProfile(user.key(), v.getId(), connection.getMetadataProfile()).getMetadata();
    }
    if (Connections.PENDING.equals(connection.getStatus())) {
      return new SeenUser(v, connection, data == null ? null : data.getSent(), metadata);
    }
    return new SeenUser(v, connection, user.profile(), metadata);
  }

  private UserProfile openProfile(EncryptedValue key, String userId, EncryptedValue sealed) {
    try {
      return UserProfile.getDecoder().decode(userKeys.open(key, userId, "profile", sealed));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private PlatformData openPlatformData(ReadableUser user, EncryptedValue sealed) {
    try {
      return PlatformData.getDecoder()
          .decode(userKeys.open(user.key(), user.view().getId(), "platform", sealed));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
