package io.userpipe.runtime.crypto;

import io.userpipe.runtime.serde.AvroLimits;
import io.userpipe.schemas.DecisionSubject;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.RetentionKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyring of retention keys, which seal whom each OFAC and TIN decision was about ({@link
 * DecisionSubject}). Separate by purpose from users' keys: erasing a person shreds their user key
 * and leaves these alone, so the decision records stay readable for the legal period; a period's
 * keys are shredded once {@link RetentionPolicy} says it is over. No Kafka here: the ring learns
 * keys through {@link #apply} and publishes a new one through a {@link Publisher} before it seals
 * anything with it.
 *
 * <p>Each key has an id of its own ({@code retention:2026-12:<random>}) that the sealed value
 * names, so two instances that each make a key for the same month do not conflict: both keys are
 * kept, and each opens what it sealed.
 */
public final class RetentionKeys {
  static {
    AvroLimits.apply(); // it decodes Avro itself: the limits hold before its first decode
  }

  /**
   * Writes a new key durably (to {@code retention.keys}); throws if it cannot, an exception the
   * caller's retry policy recognizes (a decision waits for its key, it is never dead-lettered).
   */
  @FunctionalInterface
  public interface Publisher {
    void publish(RetentionKey key) throws Exception;
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "retention:";

  private final DataKeys dataKeys;
  private final RetentionPolicy policy;
  private final Clock clock;
  private final Publisher publisher;
  private final Map<String, RetentionKey> ring = new ConcurrentHashMap<>();
  private final Map<String, SecretKeySpec> unwrapped = new ConcurrentHashMap<>();

  /** Keys this ring's data keys cannot unwrap (another deployment's, a retired data key's). */
  private final java.util.Set<String> unusable = ConcurrentHashMap.newKeySet();

  public RetentionKeys(
      DataKeys dataKeys, RetentionPolicy policy, Clock clock, Publisher publisher) {
    this.dataKeys = dataKeys;
    this.policy = policy;
    this.clock = clock;
    this.publisher = publisher;
  }

  /**
   * A key learnt from the topic; {@code null} (a tombstone) forgets it.
   *
   * @return false, keeping nothing, for a key that names no month ({@code yyyy-MM})
   */
  public boolean apply(String keyId, RetentionKey key) {
    unwrapped.remove(keyId);
    unusable.remove(keyId);
    if (key == null) {
      ring.remove(keyId);
      return true;
    }
    try {
      YearMonth.parse(key.getPeriod());
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
    ring.put(keyId, key);
    return true;
  }

  public List<RetentionKey> keys() {
    return ring.values().stream().sorted(Comparator.comparing(RetentionKey::getKeyId)).toList();
  }

  /** Keys whose period and retention have passed: to be tombstoned. */
  public List<String> expiredKeyIds() {
    Instant now = clock.instant();
    return ring.values().stream()
        .filter(k -> policy.expired(YearMonth.parse(k.getPeriod()), now))
        .map(RetentionKey::getKeyId)
        .sorted()
        .toList();
  }

  /**
   * The keys to re-wrap under the active data key (key rotation), re-wrapped: each known key that
   * an older data key this ring holds wraps, and that expires more than {@code margin} from now.
   * The margin keeps a re-wrap from following a key's expiry tombstone and reviving it (a tombstone
   * is written only once a key has expired); a key closer to its end is left as it is, so its old
   * data key must stay configured until it has expired (docs/SECURITY.md).
   */
  public List<RetentionKey> rewrapsDue(java.time.Duration margin) {
    Instant horizon = clock.instant().plus(margin);
    String active = dataKeys.activeKeyId();
    return keys().stream()
        .filter(k -> !k.getWrappedKey().getKeyId().equals(active))
        .filter(k -> dataKeys.has(k.getWrappedKey().getKeyId()))
        .filter(k -> policy.expiresAt(YearMonth.parse(k.getPeriod())).isAfter(horizon))
        .map(
            k -> {
              String context = wrapContext(k.getKeyId());
              var rewrapped = dataKeys.seal(dataKeys.open(k.getWrappedKey(), context), context);
              return RetentionKey.newBuilder(k).setWrappedKey(rewrapped).build();
            })
        .toList();
  }

  /**
   * The key of the current month: a known one, or a new one, published before it is returned (a
   * value is never sealed under a key that is not on the topic).
   */
  public synchronized RetentionKey current() {
    YearMonth period = RetentionPolicy.periodOf(clock.instant());
    List<RetentionKey> known =
        ring.values().stream()
            .filter(k -> k.getPeriod().equals(period.toString()))
            .filter(k -> !unusable.contains(k.getKeyId()))
            .sorted(Comparator.comparing(RetentionKey::getKeyId))
            .toList();
    for (RetentionKey k : known) {
      try {
        unwrap(k);
        return k;
      } catch (DataKeys.CryptoException e) {
        unusable.add(k.getKeyId()); // a key this ring could not open again: make its own
      }
    }
    byte[] nonce = new byte[8];
    RANDOM.nextBytes(nonce);
    String keyId = PREFIX + period + ":" + HexFormat.of().formatHex(nonce);
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    var key =
        new RetentionKey(
            keyId, period.toString(), dataKeys.seal(raw, wrapContext(keyId)), clock.instant());
    try {
      publisher.publish(key);
    } catch (RuntimeException e) {
      throw e; // as the publisher classed it (transient, so the decision is retried)
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish retention key " + keyId + ": " + e, e);
    }
    ring.put(keyId, key);
    return key;
  }

  /** Seals whom a decision about {@code userId} was about, under the current month's key. */
  public EncryptedValue seal(String userId, DecisionSubject subject) {
    RetentionKey key = current();
    byte[] nonce = DataKeys.newNonce();
    byte[] plain;
    try {
      plain = DataKeys.bytes(subject.toByteBuffer());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a decision subject", e);
    }
    byte[] ciphertext =
        DataKeys.aes(Cipher.ENCRYPT_MODE, unwrap(key), nonce, plain, context(userId));
    return new EncryptedValue(key.getKeyId(), ByteBuffer.wrap(nonce), ByteBuffer.wrap(ciphertext));
  }

  /**
   * Opens a decision's subject; empty when its key is gone (shredded) or its period is over, which
   * is what erasure at the end of the retention period means.
   */
  public Optional<DecisionSubject> open(String userId, EncryptedValue sealed) {
    RetentionKey key = ring.get(sealed.getKeyId());
    if (key == null || policy.expired(YearMonth.parse(key.getPeriod()), clock.instant())) {
      return Optional.empty();
    }
    byte[] plain =
        DataKeys.aes(
            Cipher.DECRYPT_MODE,
            unwrap(key),
            DataKeys.bytes(sealed.getNonce()),
            DataKeys.bytes(sealed.getCiphertext()),
            context(userId));
    try {
      return Optional.of(DecisionSubject.fromByteBuffer(ByteBuffer.wrap(plain)));
    } catch (IOException e) {
      throw new DataKeys.CryptoException("a decision subject does not decode: " + e);
    }
  }

  private SecretKeySpec unwrap(RetentionKey key) {
    return unwrapped.computeIfAbsent(
        key.getKeyId(),
        id -> new SecretKeySpec(dataKeys.open(key.getWrappedKey(), wrapContext(id)), "AES"));
  }

  private static String wrapContext(String keyId) {
    return "retention-key:" + keyId;
  }

  private static String context(String userId) {
    return "decision-subject:" + userId;
  }
}
