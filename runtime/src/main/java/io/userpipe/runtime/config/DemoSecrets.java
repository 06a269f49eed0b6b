package io.userpipe.runtime.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The secret values this repository publishes: the local demo's, and those it once committed (the
 * old docker-compose.yml's keys, its {@code change-me}, a test's token), and the upgrade fixture's
 * (local/src/test/resources/upgrade/). Anyone can read them, so they are refused everywhere but in
 * the explicitly local demo ({@link Secret}).
 */
public final class DemoSecrets {

  /** The local demo's operator token. */
  public static final String DEMO_ADMIN_TOKEN = "demo-admin";

  /** The local demo platform's API key (client id {@code demo}). */
  public static final String DEMO_PLATFORM_KEY = "demo-secret";

  /** Tokens (ADMIN_TOKEN, INTERNAL_TOKEN) published here. */
  static final Set<String> TOKENS =
      Set.of(
          DEMO_ADMIN_TOKEN,
          "change-me",
          "chaos-admin",
          "4a769c451591231c72655cd021d297cab9336fa027e351ff");

  /** AES and HMAC keys (DATA_KEYS, CODE_HASH_KEY) once committed, as base64. */
  private static final List<String> KEYS =
      List.of(
          "DF4LFHX/7TivarOvj/QfQ6MABbrECfPqg19SJbUZ7OE=",
          "AcUS9g4jmZqmhwBOy9DbE6pj+ike648YFIiGXHKsiuo=",
          "4kl7inZ2cPD9BHKg0FmmCbF9qM3HlFUX10B8XIclbtQ=", // the upgrade fixture's data key
          "h/foHzTTJx9p6skAOynn7UoY3/ZbgMXJsjfL2KXn8JM="); // and its code-hash key

  /** Platform API keys published here (the demo's, bin/soak's storm platform's, the fixture's). */
  private static final List<String> PLATFORM_KEYS =
      List.of(
          DEMO_PLATFORM_KEY,
          "storm-secret",
          "646534ff5da04856e2adede46eabc5cea3ccba71", // the upgrade fixture's platforms
          "6e95d498161991e4b63146e7fdbecec1ecf3e3b4");

  /** The SHA-256 hashes (hex) of {@link #PLATFORM_KEYS}: what PLATFORMS would hold. */
  static final Set<String> PLATFORM_KEY_HASHES =
      PLATFORM_KEYS.stream().map(DemoSecrets::sha256Hex).collect(Collectors.toUnmodifiableSet());

  private DemoSecrets() {}

  /** Whether these key bytes are one of the published keys. */
  static boolean isPublishedKey(byte[] key) {
    return KEYS.stream().anyMatch(k -> MessageDigest.isEqual(Base64.getDecoder().decode(k), key));
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
