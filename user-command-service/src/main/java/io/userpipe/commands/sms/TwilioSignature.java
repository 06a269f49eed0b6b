package io.userpipe.commands.sms;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature ({@code X-Twilio-Signature}): HMAC-SHA1 under the account's auth token
 * of the full URL Twilio was given (query string included), followed, for a form POST, by each
 * parameter's name and value with no separator, names sorted; base64.
 */
final class TwilioSignature {

  static final String HEADER = "X-Twilio-Signature";

  private TwilioSignature() {}

  static String sign(String authToken, String url, Map<String, List<String>> formParams) {
    var data = new StringBuilder(url);
    // names in byte order (Twilio sorts with a plain string comparison); repeated names by value
    for (var entry : new TreeMap<>(formParams).entrySet()) {
      for (String value : entry.getValue().stream().sorted().toList()) {
        data.append(entry.getKey()).append(value);
      }
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available", e);
    }
  }

  /** In constant time; false for a missing signature. */
  static boolean verify(
      String authToken, String url, Map<String, List<String>> formParams, String signature) {
    if (signature == null || signature.isEmpty()) {
      return false;
    }
    byte[] expected = sign(authToken, url, formParams).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
  }
}
