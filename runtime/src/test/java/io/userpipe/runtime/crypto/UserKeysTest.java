package io.userpipe.runtime.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A user key re-wrapped under the active data key: the same key, no longer needing the old one. */
class UserKeysTest {

  private static final byte[] NAME = "Ada Lovelace".getBytes(StandardCharsets.UTF_8);

  @Test
  void aRewrappedKeyOpensWhatTheOldWrapSealedOnceTheOldDataKeyIsGone() {
    String k1 = DataKeys.generateEntry("k1");
    String k2 = DataKeys.generateEntry("k2");
    var before = new UserKeys(DataKeys.parse(k1, null));
    var wrapped = before.newWrappedKey("u1");
    var sealed = before.seal(wrapped, "u1", "profile", NAME);

    var rotating = new UserKeys(DataKeys.parse(k1 + "," + k2, "k2"));
    assertFalse(rotating.underActiveKey(wrapped));
    var rewrapped = rotating.rewrap(wrapped, "u1");
    assertEquals("k2", rewrapped.getKeyId());
    assertTrue(rotating.underActiveKey(rewrapped));

    var after = new UserKeys(DataKeys.parse(k2, null));
    assertArrayEquals(NAME, after.open(rewrapped, "u1", "profile", sealed));
    assertThrows(
        DataKeys.CryptoException.class, () -> after.open(wrapped, "u1", "profile", sealed));
  }

  @Test
  void aKeyRewrappedForOneUserIsNoOtherUsers() {
    String k1 = DataKeys.generateEntry("k1");
    String k2 = DataKeys.generateEntry("k2");
    var wrapped = new UserKeys(DataKeys.parse(k1, null)).newWrappedKey("u1");
    var rotating = new UserKeys(DataKeys.parse(k1 + "," + k2, "k2"));
    assertThrows(DataKeys.CryptoException.class, () -> rotating.rewrap(wrapped, "u2"));
  }
}
