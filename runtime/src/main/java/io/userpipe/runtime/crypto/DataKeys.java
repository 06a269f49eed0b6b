package io.userpipe.runtime.crypto;

import io.userpipe.runtime.config.Secret;
import io.userpipe.schemas.EncryptedValue;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM under named data keys. New values are sealed with the active key; values sealed with
 * an older key still open as long as that key is configured, which is how keys rotate. The
 * associated data binds a ciphertext to its purpose (and user), so a sealed TIN cannot be passed
 * off as a sealed code.
 *
 * <p>Configured by {@code DATA_KEYS} ({@code id:base64-of-32-bytes} entries, comma-separated; the
 * first is active unless {@code ACTIVE_DATA_KEY} names another). The edge keys ({@code EDGE_KEYS},
 * {@code ACTIVE_EDGE_KEY}: {@link #edgeFrom}) are a second set of the same format and rules for
 * another purpose, the secrets in commands ({@link CommandSecrets}); a key serves one purpose.
 */
public final class DataKeys {

  public static final String DATA_KEYS = Secret.DATA_KEYS.key();
  public static final String ACTIVE_DATA_KEY = "ACTIVE_DATA_KEY";
  public static final String EDGE_KEYS = Secret.EDGE_KEYS.key();
  public static final String ACTIVE_EDGE_KEY = "ACTIVE_EDGE_KEY";

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * One cipher object per thread, initialised afresh (new key, nonce and associated data) for every
   * operation: {@code Cipher.getInstance} walks the security providers each time, and took most of
   * the time of sealing in a profile of the pipeline under load.
   */
  private static final ThreadLocal<Cipher> CIPHER =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("this JVM has no AES/GCM", e);
            }
          });

  private final String setting;
  private final Map<String, SecretKeySpec> keys;
  private final String activeId;

  private DataKeys(String setting, Map<String, SecretKeySpec> keys, String activeId) {
    if (!keys.containsKey(activeId)) {
      throw new IllegalArgumentException(
          "active " + noun(setting) + " " + activeId + " is not configured");
    }
    this.setting = setting;
    this.keys = Map.copyOf(keys);
    this.activeId = activeId;
  }

  /** A {@code DATA_KEYS} value. */
  public static DataKeys parse(String spec, String activeId) {
    return parse(DATA_KEYS, spec, activeId);
  }

  /** An {@code EDGE_KEYS} value: the same format, another purpose. */
  public static DataKeys parseEdge(String spec, String activeId) {
    return parse(EDGE_KEYS, spec, activeId);
  }

  private static DataKeys parse(String setting, String spec, String activeId) {
    var keys = new LinkedHashMap<String, SecretKeySpec>();
    for (String entry : spec.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(setting + " entries are id:base64key");
      }
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            setting + " key " + entry.substring(0, colon) + " is not base64");
      }
      if (raw.length != 32) {
        throw new IllegalArgumentException(
            setting + " key " + entry.substring(0, colon) + " must be 32 bytes, is " + raw.length);
      }
      keys.put(entry.substring(0, colon).trim(), new SecretKeySpec(raw, "AES"));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(setting + " names no key");
    }
    return new DataKeys(
        setting, keys, activeId == null ? keys.keySet().iterator().next() : activeId);
  }

  /** From {@code DATA_KEYS} (checked: {@link Secret}) and {@code ACTIVE_DATA_KEY}. */
  public static DataKeys from(io.userpipe.runtime.config.AppConfig config) {
    return parse(Secret.DATA_KEYS.require(config), config.find(ACTIVE_DATA_KEY).orElse(null));
  }

  /** From {@code EDGE_KEYS} (checked: {@link Secret}) and {@code ACTIVE_EDGE_KEY}. */
  public static DataKeys edgeFrom(io.userpipe.runtime.config.AppConfig config) {
    return parseEdge(Secret.EDGE_KEYS.require(config), config.find(ACTIVE_EDGE_KEY).orElse(null));
  }

  /** A fresh random key entry for {@code DATA_KEYS} or {@code EDGE_KEYS}: local runs and tests. */
  public static String generateEntry(String id) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return id + ":" + Base64.getEncoder().encodeToString(raw);
  }

  public String activeKeyId() {
    return activeId;
  }

  /** Whether a value sealed under key {@code keyId} is one of this set's. */
  public boolean has(String keyId) {
    return keys.containsKey(keyId);
  }

  public EncryptedValue seal(byte[] plaintext, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    return new EncryptedValue(
        activeId,
        ByteBuffer.wrap(nonce),
        ByteBuffer.wrap(
            aes(Cipher.ENCRYPT_MODE, keys.get(activeId), nonce, plaintext, associatedData)));
  }

  public byte[] open(EncryptedValue sealed, String associatedData) {
    SecretKeySpec key = keys.get(sealed.getKeyId());
    if (key == null) {
      throw new CryptoException(noun(setting) + " " + sealed.getKeyId() + " is not configured");
    }
    return aes(
        Cipher.DECRYPT_MODE,
        key,
        bytes(sealed.getNonce()),
        bytes(sealed.getCiphertext()),
        associatedData);
  }

  private static String noun(String setting) {
    return setting.equals(EDGE_KEYS) ? "edge key" : "data key";
  }

  static byte[] aes(
      int mode, SecretKeySpec key, byte[] nonce, byte[] input, String associatedData) {
    try {
      Cipher cipher = CIPHER.get();
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new CryptoException(
          "AES-GCM "
              + (mode == Cipher.ENCRYPT_MODE ? "seal" : "open")
              + " failed: "
              + e.getClass().getSimpleName());
    }
  }

  static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }

  static byte[] newNonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  /** Sealing or opening failed: a wrong key, a tampered value, a missing key id. */
  public static final class CryptoException extends RuntimeException {
    public CryptoException(String message) {
      super(message);
    }
  }
}
