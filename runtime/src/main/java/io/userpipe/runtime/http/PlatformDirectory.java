package io.userpipe.runtime.http;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.platforms.PlatformCredentials;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Who a platform's request is: HTTP Basic with {@code client_id:api_key}, checked against the
 * platforms and keys the {@code platforms} topic holds ({@link PlatformCredentials}, followed by
 * {@code io.userpipe.runtime.platforms.PlatformFollower}): a key added, rotated or retired with
 * {@code bin/platforms} takes effect a moment later, without a restart. Only hashes of keys are
 * held, compared in constant time.
 *
 * <p>{@code PLATFORMS} ({@code platform_id:client_id:sha256hex} entries separated by commas) seeds
 * the topic with platforms it does not know yet: the local run's demo platform, tests, a first
 * deployment. Once the topic knows a platform, the topic decides.
 */
public final class PlatformDirectory {

  /** The configuration key of the seeded platforms, shared by every HTTP door. */
  public static final String PLATFORMS = Secret.PLATFORMS.key();

  /** One {@code PLATFORMS} entry. */
  public record Seed(String platformId, String clientId, byte[] keySha256) {}

  private final PlatformCredentials credentials;
  private final BooleanSupplier caughtUp;
  private final Clock clock;

  public PlatformDirectory(PlatformCredentials credentials, BooleanSupplier caughtUp, Clock clock) {
    this.credentials = credentials;
    this.caughtUp = caughtUp;
    this.clock = clock;
  }

  /** The entries of {@code PLATFORMS}, checked ({@link Secret}); none when it is not set. */
  public static List<Seed> seeds(AppConfig config) {
    return Secret.PLATFORMS.find(config).map(PlatformDirectory::parse).orElse(List.of());
  }

  static List<Seed> parse(String spec) {
    var seeds = new ArrayList<Seed>();
    for (String entry : spec.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] parts = entry.trim().split(":");
      if (parts.length != 3 || !parts[2].matches("[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException(
            "PLATFORMS entries are platform_id:client_id:sha256hex, got '" + entry + "'");
      }
      seeds.add(new Seed(parts[0], parts[1], HexFormat.of().parseHex(parts[2])));
    }
    return List.copyOf(seeds);
  }

  /**
   * The {@code PLATFORMS} entry for a platform whose key is given in plaintext (local runs, tests).
   */
  public static String entry(String platformId, String clientId, String apiKey) {
    return platformId
        + ":"
        + clientId
        + ":"
        + HexFormat.of().formatHex(PlatformCredentials.sha256(apiKey));
  }

  /**
   * The platform id the request authenticates as, or a 401; a 503 while the platforms are still
   * being read at start-up. Served by an {@link HttpService}, the request then waits for its
   * platform's turn to do its work ({@link WorkGate}).
   */
  public String authenticate(Request request) {
    BasicCredentials presented =
        BasicCredentials.of(request).orElseThrow(PlatformDirectory::unauthorized);
    if (!caughtUp.getAsBoolean()) {
      throw new ApiException(
          503,
          "starting",
          "the platforms' keys are still being read; retry",
          List.of(),
          Map.of("Retry-After", "1"));
    }
    String platformId =
        credentials
            .authenticate(presented.user(), presented.password(), clock.instant())
            .orElseThrow(PlatformDirectory::unauthorized);
    // Known now: the request does its work in this platform's turn (HttpService's work gate).
    WorkGate.enter(platformId);
    return platformId;
  }

  private static ApiException unauthorized() {
    return new ApiException(
        401,
        "unauthorized",
        "authenticate with HTTP Basic client_id:api_key",
        List.of(),
        Map.of("WWW-Authenticate", "Basic realm=\"userpipe\""));
  }
}
