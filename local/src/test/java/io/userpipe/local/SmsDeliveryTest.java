package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.commands.sms.TwilioSettings;
import io.userpipe.localstack.FakeTwilio;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.testing.Ports;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Codes through Twilio's API (a local fake of it) end to end: a refusal shows on the user as the
 * last code's delivery, a signed status callback moves it along, a forged one is refused.
 */
class SmsDeliveryTest {

  private static final String TOKEN = "sms-delivery-test-twilio-auth-token";
  private static FakeTwilio twilio;
  private static LocalPipeline pipeline;
  private static ApiClient platformA;
  private static ApiClient platformB;

  @BeforeAll
  static void start() {
    twilio = FakeTwilio.start();
    int port = Ports.freeLoopbackPort();
    AppConfig base = SharedKafka.config();
    AppConfig config =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, Integer.toString(port))
                .with(
                    Projections.PLATFORMS,
                    PlatformDirectory.entry("sms-a", "sms-client-a", "key-a")
                        + ","
                        + PlatformDirectory.entry("sms-b", "sms-client-b", "key-b"))
                .with(TwilioSettings.TWILIO_API_URL, twilio.baseUrl())
                .with(TwilioSettings.TWILIO_ACCOUNT_SID, "AC00000000000000000000000000000001")
                .with(TwilioSettings.TWILIO_AUTH_TOKEN, TOKEN)
                .with(TwilioSettings.TWILIO_FROM, "+15005550006")
                .with(
                    TwilioSettings.SMS_STATUS_CALLBACK_URL,
                    "http://127.0.0.1:" + port + "/sms/status")
                .with("CODE_MIN_RESEND_INTERVAL", "PT0S"),
            base.stateDir());
    pipeline = TestPipelines.startOnSharedBroker(config);
    platformA = new ApiClient(pipeline.baseUrl(), "sms-client-a", "key-a");
    platformB = new ApiClient(pipeline.baseUrl(), "sms-client-b", "key-b");
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
    twilio.close();
  }

  private static String create(ApiClient client, String phone) {
    var answer =
        client.post(
            "/v2/users",
            """
            {"first_name":"Mary","last_name":"Jackson","email":"mj-%s@example.com",
             "country_code":"1","phone_number":"%s","date_of_birth":"1921-04-09"}"""
                .formatted(phone, phone));
    assertEquals(200, answer.status(), answer.raw().body());
    return answer.json().get("id").asText();
  }

  private static JsonNode awaitLastCode(ApiClient client, String id, Predicate<JsonNode> until)
      throws InterruptedException {
    JsonNode last = null;
    for (int i = 0; i < 200; i++) {
      last = client.get("/v2/users/" + id).json().get("last_code");
      if (last != null && !last.isNull() && until.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("last_code is still " + last);
  }

  /** Twilio's scheme, written here from its documentation, not from the service's signer. */
  private static String twilioSignature(String url, Map<String, String> form) throws Exception {
    var data = new StringBuilder(url);
    new TreeMap<>(form).forEach((k, v) -> data.append(k).append(v));
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    return Base64.getEncoder()
        .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static int postCallback(String url, Map<String, String> form, String signature)
      throws Exception {
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    var request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Twilio-Signature", signature)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void aRefusalAndTheProvidersCallbacksShowOnTheUserForThePlatformThatSentTheCode()
      throws Exception {
    String phone = TestPhones.next();
    String id = create(platformA, phone);

    twilio.script(FakeTwilio.Answer.error(400, 21610));
    assertEquals(202, platformA.post("/v2/users/" + id + "/send-verification-token", "").status());
    JsonNode refused = awaitLastCode(platformA, id, l -> l.has("delivery"));
    assertEquals("refused", refused.at("/delivery/status").asText());
    assertEquals("21610", refused.at("/delivery/error_code").asText());

    twilio.script(FakeTwilio.Answer.tooManyRequests(1));
    assertEquals(202, platformA.post("/v2/users/" + id + "/send-verification-token", "").status());
    awaitLastCode(platformA, id, l -> "accepted".equals(l.at("/delivery/status").asText()));
    var sent = twilio.received().get(twilio.received().size() - 1);
    assertEquals("+1" + phone, sent.form().get("To"));
    String callbackUrl = sent.form().get("StatusCallback");
    assertTrue(callbackUrl.startsWith(pipeline.baseUrl() + "/sms/status?"), callbackUrl);

    var delivered =
        Map.of(
            "MessageSid", "SM00000000000000000000000000000001",
            "MessageStatus", "delivered",
            "To", "+1" + phone,
            "AccountSid", "AC00000000000000000000000000000001");
    assertEquals(403, postCallback(callbackUrl, delivered, "forged+signature="));
    assertEquals(
        204, postCallback(callbackUrl, delivered, twilioSignature(callbackUrl, delivered)));
    JsonNode last =
        awaitLastCode(platformA, id, l -> "delivered".equals(l.at("/delivery/status").asText()));
    assertTrue(last.at("/delivery/error_code").isNull());
    assertFalse(last.toString().contains(phone), "no number in the answer");

    // a platform connected to the person by another code of its own sees none of A's
    create(platformB, phone);
    assertTrue(platformB.get("/v2/users/" + id).json().get("last_code").isNull());
  }
}
