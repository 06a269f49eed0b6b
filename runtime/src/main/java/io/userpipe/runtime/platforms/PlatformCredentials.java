package io.userpipe.runtime.platforms;

import io.userpipe.runtime.crypto.SaltedSecrets;
import io.userpipe.schemas.PlatformChange;
import io.userpipe.schemas.PlatformCredential;
import io.userpipe.schemas.PlatformKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The platforms and their API keys as the {@code platforms} topic has them so far: what an HTTP
 * door checks a request against, and what {@code bin/platforms} (or a door seeding {@code
 * PLATFORMS}) decides a change against. Each change ({@link #add}, {@link #rotate}, {@link
 * #endGrace}, {@link #retire}, {@link #seed}) is decided against what is known here and returns the
 * record to publish; nothing changes here until that record is {@link #apply applied}, as it is
 * when read back from the topic. Plain Java, no Kafka: the clock is a parameter.
 *
 * <p>A rotation keeps the old key working for a grace period, so a platform can deploy its new key
 * without an outage; {@link #endGrace} ends it early (a leaked key).
 */
public final class PlatformCredentials {

  /** The hash scheme of a key seeded from {@code PLATFORMS}, which holds unsalted SHA-256. */
  public static final String SEEDED_SCHEME = "sha256";

  /** The longest grace period a rotation may give the old key. */
  public static final Duration MAX_GRACE = Duration.ofDays(30);

  /** Platform and client ids: no colon (HTTP Basic, {@code PLATFORMS} entries), no spaces. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] NO_SALT = new byte[16];
  private static final byte[] NO_HASH = new byte[32];

  private final Map<String, PlatformCredential> byPlatformId = new ConcurrentHashMap<>();
  private final Map<String, PlatformCredential> byClientId = new ConcurrentHashMap<>();

  /** Takes in one record of the topic (a {@code null} value, a tombstone, forgets the platform). */
  public void apply(String platformId, PlatformCredential credential) {
    PlatformCredential before =
        credential == null
            ? byPlatformId.remove(platformId)
            : byPlatformId.put(platformId, credential);
    if (before != null) {
      byClientId.remove(before.getClientId(), before);
    }
    if (credential != null) {
      byClientId.put(credential.getClientId(), credential);
    }
  }

  /**
   * The platform whose client id and unexpired key these are. The hash is computed and compared
   * whether or not the client id exists, so timing does not tell which ids do.
   */
  public Optional<String> authenticate(String clientId, String apiKey, Instant now) {
    PlatformCredential c = byClientId.get(clientId);
    List<PlatformKey> keys = c == null ? List.of() : c.getKeys();
    boolean matched = false;
    for (PlatformKey key : keys) {
      boolean valid = key.getExpiresAt() == null || now.isBefore(key.getExpiresAt());
      matched |= valid & MessageDigest.isEqual(hash(key, apiKey), bytes(key.getKeyHash()));
    }
    if (keys.isEmpty()) {
      MessageDigest.isEqual(SaltedSecrets.hash(NO_SALT, apiKey), NO_HASH);
    }
    return matched ? Optional.of(c.getPlatformId()) : Optional.empty();
  }

  public Optional<PlatformCredential> find(String platformId) {
    return Optional.ofNullable(byPlatformId.get(platformId));
  }

  /** Whether some platform, retired or not, has this client id. */
  public boolean holdsClientId(String clientId) {
    return byClientId.containsKey(clientId);
  }

  /** Every platform, retired ones included, by id. */
  public List<PlatformCredential> all() {
    var all = new ArrayList<>(byPlatformId.values());
    all.sort(Comparator.comparing(PlatformCredential::getPlatformId));
    return all;
  }

  /**
   * A new platform with one key. Neither its id nor its client id may have been used before, by a
   * retired platform either: events and audit trails name platforms by id.
   *
   * @throws IllegalArgumentException a malformed or used id
   */
  public PlatformCredential add(
      String platformId, String clientId, String apiKey, Instant now, String by) {
    requireNew(platformId, clientId);
    return credential(
        platformId, clientId, PlatformChange.ADDED, List.of(saltedKey(apiKey, now)), now, by);
  }

  /**
   * A platform named by a {@code PLATFORMS} entry ({@code sha256hex} of its key), unless the topic
   * knows the platform already (then the topic wins: it may have been rotated or retired since) or
   * another platform holds the client id.
   */
  public Optional<PlatformCredential> seed(
      String platformId, String clientId, byte[] sha256, Instant now, String by) {
    if (byPlatformId.containsKey(platformId) || byClientId.containsKey(clientId)) {
      return Optional.empty();
    }
    requireNew(platformId, clientId);
    var key =
        PlatformKey.newBuilder()
            .setKeyId(newKeyId())
            .setHashScheme(SEEDED_SCHEME)
            .setSalt(null)
            .setKeyHash(ByteBuffer.wrap(sha256.clone()))
            .setCreatedAt(now)
            .setExpiresAt(null)
            .build();
    return Optional.of(
        credential(platformId, clientId, PlatformChange.ADDED, List.of(key), now, by));
  }

  /**
   * The platform with a new current key; its previous current key keeps working for {@code grace}
   * (not at all when zero), and keys whose grace has ended are dropped.
   *
   * @throws IllegalArgumentException an unknown or retired platform, or a grace out of bounds
   */
  public PlatformCredential rotate(
      String platformId, String apiKey, Duration grace, Instant now, String by) {
    if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
      throw new IllegalArgumentException(
          "a grace period is between 0 and " + MAX_GRACE.toDays() + " days, got " + grace);
    }
    PlatformCredential c = requireActive(platformId);
    var keys = new ArrayList<PlatformKey>();
    keys.add(saltedKey(apiKey, now));
    for (PlatformKey key : c.getKeys()) {
      Instant expires = key.getExpiresAt() == null ? now.plus(grace) : key.getExpiresAt();
      if (now.isBefore(expires)) {
        keys.add(PlatformKey.newBuilder(key).setExpiresAt(expires).build());
      }
    }
    return credential(platformId, c.getClientId(), PlatformChange.KEY_ROTATED, keys, now, by);
  }

  /**
   * The platform with its current key only: every older key stops working now.
   *
   * @throws IllegalArgumentException an unknown or retired platform
   */
  public PlatformCredential endGrace(String platformId, Instant now, String by) {
    PlatformCredential c = requireActive(platformId);
    List<PlatformKey> current = c.getKeys().stream().filter(k -> k.getExpiresAt() == null).toList();
    return credential(platformId, c.getClientId(), PlatformChange.GRACE_ENDED, current, now, by);
  }

  /**
   * The platform retired: no key works any more; neither id is given again.
   *
   * @throws IllegalArgumentException an unknown or retired platform
   */
  public PlatformCredential retire(String platformId, Instant now, String by) {
    PlatformCredential c = requireActive(platformId);
    return credential(platformId, c.getClientId(), PlatformChange.RETIRED, List.of(), now, by);
  }

  /** Whether one of the platform's keys is the one a {@code PLATFORMS} entry names. */
  public static boolean hasSeededKey(PlatformCredential platform, byte[] sha256) {
    return platform.getKeys().stream()
        .anyMatch(
            k ->
                SEEDED_SCHEME.equals(k.getHashScheme())
                    && MessageDigest.isEqual(bytes(k.getKeyHash()), sha256));
  }

  /** A fresh API key: 32 random bytes, URL-safe base64 without padding (43 characters). */
  public static String newApiKey() {
    return SaltedSecrets.newSecret();
  }

  /** The SHA-256 of a key, as a {@code PLATFORMS} entry holds it. */
  public static byte[] sha256(String apiKey) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  private void requireNew(String platformId, String clientId) {
    for (String id : List.of(platformId, clientId)) {
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "a platform or client id is 1 to 64 of A-Z a-z 0-9 . _ @ -, starting with a letter or"
                + " digit: '"
                + id
                + "'");
      }
    }
    if (byPlatformId.containsKey(platformId)) {
      throw new IllegalArgumentException(
          "platform " + platformId + " exists already (ids are never reused)");
    }
    if (byClientId.containsKey(clientId)) {
      throw new IllegalArgumentException(
          "client id " + clientId + " belongs to another platform (client ids are never reused)");
    }
  }

  private PlatformCredential requireActive(String platformId) {
    PlatformCredential c = byPlatformId.get(platformId);
    if (c == null) {
      throw new IllegalArgumentException("no platform " + platformId);
    }
    if (c.getChange() == PlatformChange.RETIRED) {
      throw new IllegalArgumentException("platform " + platformId + " is retired");
    }
    return c;
  }

  private static PlatformKey saltedKey(String apiKey, Instant now) {
    if (apiKey == null || apiKey.length() < 32) {
      throw new IllegalArgumentException("an API key is at least 32 random characters");
    }
    byte[] salt = SaltedSecrets.newSalt();
    return PlatformKey.newBuilder()
        .setKeyId(newKeyId())
        .setHashScheme(SaltedSecrets.SCHEME)
        .setSalt(ByteBuffer.wrap(salt))
        .setKeyHash(ByteBuffer.wrap(SaltedSecrets.hash(salt, apiKey)))
        .setCreatedAt(now)
        .setExpiresAt(null)
        .build();
  }

  private static PlatformCredential credential(
      String platformId,
      String clientId,
      PlatformChange change,
      List<PlatformKey> keys,
      Instant now,
      String by) {
    return PlatformCredential.newBuilder()
        .setPlatformId(platformId)
        .setClientId(clientId)
        .setChange(change)
        .setKeys(List.copyOf(keys))
        .setChangedAt(now)
        .setChangedBy(by)
        .build();
  }

  private static byte[] hash(PlatformKey key, String apiKey) {
    return switch (key.getHashScheme()) {
      case SEEDED_SCHEME -> sha256(apiKey);
      case SaltedSecrets.SCHEME ->
          SaltedSecrets.hash(key.getSalt() == null ? NO_SALT : bytes(key.getSalt()), apiKey);
      default -> {
        // a scheme this version does not know opens nothing
        byte[] never = new byte[32];
        RANDOM.nextBytes(never);
        yield never;
      }
    };
  }

  private static String newKeyId() {
    byte[] raw = new byte[4];
    RANDOM.nextBytes(raw);
    return "key_" + HexFormat.of().formatHex(raw);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
