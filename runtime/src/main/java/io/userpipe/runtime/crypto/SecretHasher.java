package io.userpipe.runtime.crypto;

import io.userpipe.runtime.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed hashes (HMAC-SHA256) of short secrets such as one-time codes: a million possible codes are
 * trivial to brute-force from a plain hash, not from a keyed one whose key never leaves the
 * service. Configured by {@code CODE_HASH_KEY} (base64, at least 32 bytes).
 */
public final class SecretHasher {

  public static final String CODE_HASH_KEY = Secret.CODE_HASH_KEY.key();

  private final SecretKeySpec key;

  public SecretHasher(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException(CODE_HASH_KEY + " must be at least 32 bytes");
    }
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /** From {@code CODE_HASH_KEY} (base64; checked: {@link Secret}). */
  public static SecretHasher from(io.userpipe.runtime.config.AppConfig config) {
    String key = Secret.CODE_HASH_KEY.require(config);
    try {
      return new SecretHasher(java.util.Base64.getDecoder().decode(key));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(CODE_HASH_KEY + " must be base64 of at least 32 bytes", e);
    }
  }

  /** A fresh random key for {@code CODE_HASH_KEY}: local runs and tests. */
  public static String generateKey() {
    byte[] raw = new byte[32];
    new java.security.SecureRandom().nextBytes(raw);
    return java.util.Base64.getEncoder().encodeToString(raw);
  }

  public byte[] hash(String context, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(context.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
    }
  }

  /** Constant-time comparison of a guess with a stored hash. */
  public boolean matches(String context, String guess, byte[] expected) {
    return MessageDigest.isEqual(hash(context, guess), expected);
  }
}
