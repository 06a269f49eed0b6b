package io.userpipe.runtime.operators;

import io.userpipe.runtime.crypto.SaltedSecrets;
import io.userpipe.schemas.OperatorChange;
import io.userpipe.schemas.OperatorCredential;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The operators' credentials as the {@code operators} topic has them so far: what an HTTP door
 * checks a request against, and what {@code bin/operators} decides a change against. Each change
 * ({@link #add}, {@link #rotate}, {@link #retire}) is decided against the credentials known here
 * and returns the record to publish; nothing changes here until that record is {@link #apply
 * applied}, as it is when read back from the topic.
 */
public final class OperatorCredentials {

  /** Operator ids: what may sit before the colon of HTTP Basic and in an audit trail. */
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");

  private static final byte[] NO_SALT = new byte[16];
  private static final byte[] NO_HASH = new byte[32];

  private final Map<String, OperatorCredential> byId = new ConcurrentHashMap<>();

  /** Takes in one record of the topic (a {@code null} value, a tombstone, forgets the id). */
  public void apply(String operatorId, OperatorCredential credential) {
    if (credential == null) {
      byId.remove(operatorId);
    } else {
      byId.put(operatorId, credential);
    }
  }

  /**
   * Whether {@code secret} is the current secret of an operator who is not retired. The hash is
   * computed and compared in constant time whether or not the id exists, so timing does not tell
   * which ids do.
   */
  public boolean authenticate(String operatorId, String secret) {
    OperatorCredential c = byId.get(operatorId);
    boolean active =
        c != null
            && c.getChange() != OperatorChange.RETIRED
            && c.getSalt() != null
            && c.getSecretHash() != null
            && SaltedSecrets.SCHEME.equals(c.getHashScheme());
    byte[] salt = active ? bytes(c.getSalt()) : NO_SALT;
    byte[] expected = active ? bytes(c.getSecretHash()) : NO_HASH;
    return MessageDigest.isEqual(SaltedSecrets.hash(salt, secret), expected) && active;
  }

  public Optional<OperatorCredential> find(String operatorId) {
    return Optional.ofNullable(byId.get(operatorId));
  }

  /** Every operator, retired ones included, by id. */
  public List<OperatorCredential> all() {
    var all = new ArrayList<>(byId.values());
    all.sort(Comparator.comparing(OperatorCredential::getOperatorId));
    return all;
  }

  /**
   * A new operator with this secret. An id is never reused, not even a retired one's: the audit
   * trail names operators by id.
   *
   * @throws IllegalArgumentException a malformed id, or one that exists
   */
  public OperatorCredential add(String operatorId, String secret, Instant now, String by) {
    if (!ID.matcher(operatorId).matches()) {
      throw new IllegalArgumentException(
          "an operator id is 1 to 64 of a-z 0-9 . _ @ -, starting with a letter or digit: '"
              + operatorId
              + "'");
    }
    if (byId.containsKey(operatorId)) {
      throw new IllegalArgumentException(
          "operator " + operatorId + " exists already (ids are never reused)");
    }
    return credential(operatorId, OperatorChange.ADDED, secret, now, by);
  }

  /**
   * The same operator with a new secret; the old one stops working once this is applied.
   *
   * @throws IllegalArgumentException an unknown or retired operator
   */
  public OperatorCredential rotate(String operatorId, String secret, Instant now, String by) {
    requireActive(operatorId);
    return credential(operatorId, OperatorChange.ROTATED, secret, now, by);
  }

  /**
   * The operator retired: no secret works any more, and the id is not given again.
   *
   * @throws IllegalArgumentException an unknown or retired operator
   */
  public OperatorCredential retire(String operatorId, Instant now, String by) {
    requireActive(operatorId);
    return OperatorCredential.newBuilder()
        .setOperatorId(operatorId)
        .setChange(OperatorChange.RETIRED)
        .setSalt(null)
        .setSecretHash(null)
        .setHashScheme(SaltedSecrets.SCHEME)
        .setChangedAt(now)
        .setChangedBy(by)
        .build();
  }

  private void requireActive(String operatorId) {
    OperatorCredential c = byId.get(operatorId);
    if (c == null) {
      throw new IllegalArgumentException("no operator " + operatorId);
    }
    if (c.getChange() == OperatorChange.RETIRED) {
      throw new IllegalArgumentException("operator " + operatorId + " is retired");
    }
  }

  private static OperatorCredential credential(
      String operatorId, OperatorChange change, String secret, Instant now, String by) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("an operator's secret cannot be empty");
    }
    byte[] salt = SaltedSecrets.newSalt();
    return OperatorCredential.newBuilder()
        .setOperatorId(operatorId)
        .setChange(change)
        .setSalt(ByteBuffer.wrap(salt))
        .setSecretHash(ByteBuffer.wrap(SaltedSecrets.hash(salt, secret)))
        .setHashScheme(SaltedSecrets.SCHEME)
        .setChangedAt(now)
        .setChangedBy(by)
        .build();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
