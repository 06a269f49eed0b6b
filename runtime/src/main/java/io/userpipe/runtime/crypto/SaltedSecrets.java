package io.userpipe.runtime.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Operators' secrets and platforms' API keys: made here, 256 random bits each, shown once and kept
 * only as a salted SHA-256. A secret that random cannot be guessed from its hash, so a slow hash
 * would only cost every request a few dozen milliseconds of CPU for nothing; the salt keeps two
 * operators with the same secret (the local demo's) from having the same hash.
 */
public final class SaltedSecrets {

  /**
   * The one hash scheme so far ({@code OperatorCredential.hash_scheme, PlatformKey.hash_scheme}).
   */
  public static final String SCHEME = "sha256-salted";

  private static final SecureRandom RANDOM = new SecureRandom();

  private SaltedSecrets() {}

  /** A fresh secret: 32 random bytes, URL-safe base64 without padding (43 characters). */
  public static String newSecret() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /** A fresh salt of 16 random bytes. */
  public static byte[] newSalt() {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return salt;
  }

  /** SHA-256 of the salt, then the secret in UTF-8. */
  public static byte[] hash(byte[] salt, String secret) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      digest.update(salt);
      return digest.digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
