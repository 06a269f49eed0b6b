package io.userpipe.runtime.http;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The platforms that may call the API, and who a request is: HTTP Basic with {@code
 * client_id:api_key}. Only the SHA-256 of each key is held, and keys are compared in constant time.
 *
 * <p>Configured by {@code PLATFORMS}: {@code platform_id:client_id:sha256hex} entries separated by
 * commas.
 */
public final class PlatformDirectory {

  /** The configuration key of the platforms' credentials, shared by every HTTP door. */
  public static final String PLATFORMS = Secret.PLATFORMS.key();

  record Platform(String platformId, String clientId, byte[] keyHash) {}

  private final Map<String, Platform> byClientId;

  private PlatformDirectory(Map<String, Platform> byClientId) {
    this.byClientId = Map.copyOf(byClientId);
  }

  public static PlatformDirectory parse(String spec) {
    var platforms = new LinkedHashMap<String, Platform>();
    for (String entry : spec.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] parts = entry.trim().split(":");
      if (parts.length != 3 || !parts[2].matches("[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException(
            "PLATFORMS entries are platform_id:client_id:sha256hex, got '" + entry + "'");
      }
      platforms.put(parts[1], new Platform(parts[0], parts[1], HexFormat.of().parseHex(parts[2])));
    }
    if (platforms.isEmpty()) {
      throw new IllegalArgumentException("PLATFORMS names no platform");
    }
    return new PlatformDirectory(platforms);
  }

  /** From {@code PLATFORMS}, checked ({@link Secret}). */
  public static PlatformDirectory from(AppConfig config) {
    return parse(Secret.PLATFORMS.require(config));
  }

  /** The directory entry for a platform whose key is given in plaintext (local runs, tests). */
  public static String entry(String platformId, String clientId, String apiKey) {
    return platformId + ":" + clientId + ":" + HexFormat.of().formatHex(sha256(apiKey));
  }

  /**
   * The platform id the request authenticates as, or a 401. Served by an {@link HttpService}, the
   * request then waits for its platform's turn to do its work ({@link WorkGate}).
   */
  public String authenticate(Request request) {
    BasicCredentials credentials =
        BasicCredentials.of(request).orElseThrow(PlatformDirectory::unauthorized);
    Platform platform = byClientId.get(credentials.user());
    byte[] presented = sha256(credentials.password());
    // Compare even for an unknown client id, so timing does not tell which ids exist.
    byte[] expected = platform == null ? new byte[presented.length] : platform.keyHash();
    if (!MessageDigest.isEqual(presented, expected) || platform == null) {
      throw unauthorized();
    }
    // Known now: the request does its work in this platform's turn (HttpService's work gate).
    WorkGate.enter(platform.platformId());
    return platform.platformId();
  }

  private static ApiException unauthorized() {
    return new ApiException(
        401,
        "unauthorized",
        "authenticate with HTTP Basic client_id:api_key",
        java.util.List.of(),
        Map.of("WWW-Authenticate", "Basic realm=\"userpipe\""));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
