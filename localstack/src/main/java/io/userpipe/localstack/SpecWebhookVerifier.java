package io.userpipe.localstack;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Standard Webhooks verifier written from the specification's text ("Signature scheme", "Webhook
 * headers"), not from our signer: strip {@code whsec_}, base64-decode the key, HMAC-SHA256 of
 * {@code id.timestamp.body}, and any space-delimited {@code v1,<base64>} that matches.
 */
public final class SpecWebhookVerifier {

  private SpecWebhookVerifier() {}

  public static boolean verify(
      String secret, String id, String timestamp, byte[] body, String header) {
    try {
      byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      byte[] expected = mac.doFinal(body);
      for (String entry : header.split(" ")) {
        int comma = entry.indexOf(',');
        if (comma > 0 && entry.substring(0, comma).equals("v1")) {
          byte[] given = Base64.getDecoder().decode(entry.substring(comma + 1));
          if (MessageDigest.isEqual(expected, given)) {
            return true;
          }
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }
}
