package io.userpipe.webhooks.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.localstack.SpecWebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Our signer against a verifier ({@link SpecWebhookVerifier}) written from the Standard Webhooks
 * specification's text (the "Signature scheme" and "Webhook headers" sections), not from the
 * signer.
 */
class WebhookSignerTest {

  static boolean verify(String secret, String id, String timestamp, byte[] body, String header) {
    return SpecWebhookVerifier.verify(secret, id, timestamp, body, header);
  }

  @Test
  void aSignatureVerifiesWithTheSpecsSchemeAndNotWithAnotherSecretOrBody() throws Exception {
    String secret = WebhookSigner.newSecret(new SecureRandom());
    byte[] body = "{\"type\":\"ofac_status_changed\"}".getBytes(StandardCharsets.UTF_8);

    var headers = new WebhookSigner(secret).sign("evt_1", 1764756000L, body);

    assertTrue(headers.signature().startsWith("v1,"));
    assertTrue(verify(secret, "evt_1", "1764756000", body, headers.signature()));
    assertFalse(
        verify(
            WebhookSigner.newSecret(new SecureRandom()),
            "evt_1",
            "1764756000",
            body,
            headers.signature()));
    assertFalse(verify(secret, "evt_1", "1764756001", body, headers.signature()));
    assertFalse(
        verify(
            secret,
            "evt_1",
            "1764756000",
            "{}".getBytes(StandardCharsets.UTF_8),
            headers.signature()));
  }

  @Test
  void theReferenceLibrariesTestVector() {
    // the test vector the Standard Webhooks reference libraries share
    var headers =
        new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .sign(
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

    assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", headers.signature());
  }

  @Test
  void aSecretIsWhsecAndAtLeast24BytesAndAnIdHasNoFullStop() {
    String secret = WebhookSigner.newSecret(new SecureRandom());
    assertTrue(secret.startsWith("whsec_"));
    assertEquals(32, Base64.getDecoder().decode(secret.substring(6)).length);
    assertThrows(IllegalArgumentException.class, () -> new WebhookSigner("whsec_c2hvcnQ="));
    assertThrows(IllegalArgumentException.class, () -> new WebhookSigner("secret"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new WebhookSigner(secret).sign("a.b", 1, new byte[0]));
    assertFalse(new WebhookSigner(secret).toString().contains(secret.substring(6)));
  }
}
