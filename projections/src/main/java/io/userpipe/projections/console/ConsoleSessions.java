package io.userpipe.projections.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The review console's sessions: stateless, signed, expiring. A session is the signed-in operator's
 * id, when their credential was made (a rotation or retirement ends the session), when the session
 * ends, and a random nonce; signed with HMAC-SHA256 under a key every projections instance derives
 * from the same secret, so any instance takes a session another one opened, and none keeps a
 * session table. The session's CSRF token is an HMAC of its nonce under the same key: a page of the
 * console carries it in its forms, a page elsewhere cannot know it (docs/CONSOLE.md).
 */
public final class ConsoleSessions {

  /** An open session. */
  public record Session(
      String operatorId, Instant credentialSince, Instant expires, String nonce) {}

  private static final String VERSION = "v1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;
  private final Duration ttl;

  /** Sessions signed under {@code key} (32 bytes or more) that last {@code ttl}. */
  public ConsoleSessions(byte[] key, Duration ttl) {
    if (key.length < 32) {
      throw new IllegalArgumentException("a session key has 32 bytes at least");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a session lasts a positive time");
    }
    this.key = key.clone();
    this.ttl = ttl;
  }

  /**
   * The session key of a secret every projections instance holds ({@code INTERNAL_TOKEN}): an HMAC
   * of a label naming this purpose, so the key signs sessions only and tells nothing of the secret.
   */
  public static byte[] deriveKey(String secret) {
    return hmac(secret.getBytes(StandardCharsets.UTF_8), "userpipe review console sessions v1");
  }

  public Duration ttl() {
    return ttl;
  }

  /** A new session for an operator signed in now. */
  public Session open(String operatorId, Instant credentialSince, Instant now) {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    return new Session(operatorId, credentialSince, now.plus(ttl), B64.encodeToString(nonce));
  }

  /** The cookie value of a session: its fields and their signature. */
  public String seal(Session session) {
    String payload =
        String.join(
            "|",
            VERSION,
            session.operatorId(),
            Long.toString(session.credentialSince().toEpochMilli()),
            Long.toString(session.expires().getEpochSecond()),
            session.nonce());
    String encoded = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    return encoded + "." + B64.encodeToString(hmac(key, "session|" + encoded));
  }

  /** The session a cookie value holds; empty when it is malformed, not ours, or has expired. */
  public Optional<Session> open(String cookie, Instant now) {
    int dot = cookie.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    String encoded = cookie.substring(0, dot);
    byte[] presented;
    try {
      presented = UNB64.decode(cookie.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(presented, hmac(key, "session|" + encoded))) {
      return Optional.empty();
    }
    String[] fields;
    try {
      fields = new String(UNB64.decode(encoded), StandardCharsets.UTF_8).split("\\|", -1);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (fields.length != 5 || !VERSION.equals(fields[0]) || !NONCE.matcher(fields[4]).matches()) {
      return Optional.empty();
    }
    try {
      var session =
          new Session(
              fields[1],
              Instant.ofEpochMilli(Long.parseLong(fields[2])),
              Instant.ofEpochSecond(Long.parseLong(fields[3])),
              fields[4]);
      return now.isBefore(session.expires()) ? Optional.of(session) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The CSRF token of a session: what its pages' forms carry back. */
  public String csrfToken(Session session) {
    return B64.encodeToString(hmac(key, "csrf|" + session.nonce()));
  }

  /** Whether {@code presented} is the session's CSRF token (compared in constant time). */
  public boolean csrfMatches(Session session, String presented) {
    return presented != null
        && MessageDigest.isEqual(
            presented.getBytes(StandardCharsets.UTF_8),
            csrfToken(session).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
    }
  }
}
