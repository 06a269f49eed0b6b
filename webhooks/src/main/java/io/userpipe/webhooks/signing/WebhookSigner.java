package io.userpipe.webhooks.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a delivery the Standard Webhooks way (spec 1.0.0, symmetric): HMAC-SHA256 under the
 * endpoint's secret ({@code whsec_} followed by the base64 of at least 24 random bytes) of {@code
 * <webhook-id>.<webhook-timestamp>.<body>}, sent as {@code webhook-signature: v1,<base64>} beside
 * {@code webhook-id} and {@code webhook-timestamp} (Unix seconds of the attempt). Subscribers
 * verify with any Standard Webhooks library.
 */
public final class WebhookSigner {

  public static final String SECRET_PREFIX = "whsec_";
  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";

  /** 32 random bytes: the spec asks for 24 at least. */
  static final int SECRET_BYTES = 32;

  /** The three headers of one attempt. */
  public record Headers(String id, long timestamp, String signature) {}

  private final SecretKeySpec key;

  /**
   * @throws IllegalArgumentException when the secret is not {@code whsec_<base64>} of 24 to 64
   *     bytes (never naming it)
   */
  public WebhookSigner(String secret) {
    if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
      throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a webhook secret is base64 after " + SECRET_PREFIX);
    }
    if (raw.length < 24 || raw.length > 64) {
      throw new IllegalArgumentException("a webhook secret has 24 to 64 bytes");
    }
    this.key = new SecretKeySpec(raw, "HmacSHA256");
  }

  /** A new endpoint secret. */
  public static String newSecret(SecureRandom random) {
    byte[] raw = new byte[SECRET_BYTES];
    random.nextBytes(raw);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(raw);
  }

  /**
   * The headers of an attempt at {@code timestamp} (Unix seconds) to send {@code body} exactly as
   * signed. The id is the event's for the endpoint, the same on every attempt.
   *
   * @throws IllegalArgumentException for an id with a full stop, which would make the signed
   *     content ambiguous
   */
  public Headers sign(String id, long timestamp, byte[] body) {
    if (id.isEmpty() || id.indexOf('.') >= 0) {
      throw new IllegalArgumentException("a webhook id is not empty and has no full stop");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      byte[] signature = mac.doFinal(body);
      return new Headers(id, timestamp, "v1," + Base64.getEncoder().encodeToString(signature));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookSigner[secret hidden]";
  }
}
