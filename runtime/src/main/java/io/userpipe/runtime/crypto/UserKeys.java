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

  /**
   * The key this thread unwrapped last, by the identity of its wrapped value: one command seals
   * several values under the same user's key (a new user's profile in its event and in its stored
   * state), and each unwrap is an AES-GCM decryption.
   */
  private static final ThreadLocal<Unwrapped> LAST = new ThreadLocal<>();

  private record Unwrapped(EncryptedValue wrapped, String userId, SecretKeySpec key) {}

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

  /** Whether the user key is wrapped by the active data key (key ids only: nothing is opened). */
  public boolean underActiveKey(EncryptedValue wrappedKey) {
    return dataKeys.activeKeyId().equals(wrappedKey.getKeyId());
  }

  /**
   * The same user key, wrapped anew by the active data key (key rotation): what it sealed still
   * opens, and the data key that wrapped it before is no longer needed for it.
   */
  public EncryptedValue rewrap(EncryptedValue wrappedKey, String userId) {
    return dataKeys.seal(dataKeys.open(wrappedKey, wrapContext(userId)), wrapContext(userId));
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
    Unwrapped last = LAST.get();
    if (last != null && last.wrapped() == wrappedKey && last.userId().equals(userId)) {
      return last.key();
    }
    var key = new SecretKeySpec(dataKeys.open(wrappedKey, wrapContext(userId)), "AES");
    LAST.set(new Unwrapped(wrappedKey, userId, key));
    return key;
  }

  private static String wrapContext(String userId) {
    return "user-key:" + userId;
  }

  private static String context(String userId, String purpose) {
    return purpose + ":" + userId;
  }
}
