package io.userpipe.projections.http;

import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.UserKeys;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.UserProfile;
import io.userpipe.schemas.UserView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Reads a user as a client may see it: the view, with its personal data opened under the user's own
 * key. A user whose key has not arrived yet is not readable yet; a deleted user has no key and no
 * personal data left to open.
 */
public final class UserReader {

  /** A view and its opened profile (null once deleted). */
  public record ReadableUser(UserView view, UserProfile profile) {}

  private final ViewQueries views;
  private final UserKeys userKeys;

  public UserReader(ViewQueries views, DataKeys dataKeys) {
    this.views = views;
    this.userKeys = new UserKeys(dataKeys);
  }

  public Optional<ReadableUser> read(String userId) {
    Optional<UserView> view = views.user(userId);
    if (view.isEmpty()) {
      return Optional.empty();
    }
    UserView v = view.get();
    if (v.getDeleted() || v.getProfile() == null) {
      return Optional.of(new ReadableUser(v, null));
    }
    Optional<EncryptedValue> key = views.userKey(userId);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    try {
      byte[] plain = userKeys.open(key.get(), userId, "profile", v.getProfile());
      return Optional.of(new ReadableUser(v, UserProfile.getDecoder().decode(plain)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
