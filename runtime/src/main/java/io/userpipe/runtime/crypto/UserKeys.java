package io.userpipe.runtime.crypto;

import io.userpipe.schemas.EncryptedValue;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-user keys for crypto-shredding: each user's personal data is sealed under a key of its own,
 * which travels only wrapped by a data key. Deleting the user deletes that key, and the personal
 * data left in the event log can no longer be read.
 */
public final class UserKeys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataKeys dataKeys;

  public UserKeys(DataKeys dataKeys) {
    this.dataKeys = dataKeys;
  }

  /** A new user key, wrapped by the active data key and bound to the user id. */
  public EncryptedValue newWrappedKey(String userId) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return dataKeys.seal(raw, wrapContext(userId));
  }

  /** Seals a value under the user's key; {@code purpose} says what it is (e.g. "profile"). */
  public EncryptedValue seal(
      EncryptedValue wrappedKey, String userId, String purpose, byte[] plaintext) {
    byte[] nonce = DataKeys.newNonce();
    byte[] ciphertext =
        DataKeys.aes(
            Cipher.ENCRYPT_MODE,
            unwrap(wrappedKey, userId),
            nonce,
            plaintext,
            context(userId, purpose));
    return new EncryptedValue(
        "user:" + userId, ByteBuffer.wrap(nonce), ByteBuffer.wrap(ciphertext));
  }

  public byte[] open(
      EncryptedValue wrappedKey, String userId, String purpose, EncryptedValue sealed) {
    return DataKeys.aes(
        Cipher.DECRYPT_MODE,
        unwrap(wrappedKey, userId),
        DataKeys.bytes(sealed.getNonce()),
        DataKeys.bytes(sealed.getCiphertext()),
        context(userId, purpose));
  }

  private SecretKeySpec unwrap(EncryptedValue wrappedKey, String userId) {
    return new SecretKeySpec(dataKeys.open(wrappedKey, wrapContext(userId)), "AES");
  }

  private static String wrapContext(String userId) {
    return "user-key:" + userId;
  }

  private static String context(String userId, String purpose) {
    return purpose + ":" + userId;
  }
}
