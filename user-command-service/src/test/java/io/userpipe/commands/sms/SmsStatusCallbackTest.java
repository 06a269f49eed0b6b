package io.userpipe.commands.sms;

import static io.userpipe.commands.sms.SmsFixtures.CALLBACK;
import static io.userpipe.commands.sms.SmsFixtures.CLOCK;
import static io.userpipe.commands.sms.SmsFixtures.NOW;
import static io.userpipe.commands.sms.SmsFixtures.PHONE;
import static io.userpipe.commands.sms.SmsFixtures.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.security.RequestValidator;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.Request;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Twilio's delivery-status callbacks: a signed one is recorded, a forged one is refused and records
 * nothing. Our signer is held to Twilio's own validator (its SDK), an implementation not ours.
 */
class SmsStatusCallbackTest {

  private final SmsFixtures.Deliveries deliveries = new SmsFixtures.Deliveries();
  private final SmsStatusCallback callback =
      new SmsStatusCallback(TOKEN, CALLBACK, deliveries, CLOCK);

  private static final SmsCallbackUrl ABOUT =
      new SmsCallbackUrl("m-1", "user-1", "platform-a", NOW.minusSeconds(5));

  /** What Twilio posts when a message could not be delivered: its documented parameters. */
  private static Map<String, String> undelivered() {
    var form = new LinkedHashMap<String, String>();
    form.put("MessageSid", "SM0123456789abcdef0123456789abcdef");
    form.put("SmsSid", "SM0123456789abcdef0123456789abcdef");
    form.put("AccountSid", SmsFixtures.ACCOUNT);
    form.put("MessageStatus", "undelivered");
    form.put("SmsStatus", "undelivered");
    form.put("ErrorCode", "30003");
    form.put("To", PHONE);
    form.put("From", "+15005550006");
    form.put("ApiVersion", "2010-04-01");
    return form;
  }

  private static String formBody(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static Map<String, List<String>> multi(Map<String, String> form) {
    var multi = new LinkedHashMap<String, List<String>>();
    form.forEach((k, v) -> multi.put(k, List.of(v)));
    return multi;
  }

  private static Request post(SmsCallbackUrl about, Map<String, String> form, String signature) {
    var query = new LinkedHashMap<String, List<String>>();
    query.put(SmsCallbackUrl.MESSAGE, List.of(about.messageId()));
    query.put(SmsCallbackUrl.USER, List.of(about.userId()));
    query.put(SmsCallbackUrl.PLATFORM, List.of(about.platformId()));
    query.put(SmsCallbackUrl.SENT_AT, List.of(Long.toString(about.sentAt().toEpochMilli())));
    var headers = new LinkedHashMap<String, String>();
    headers.put("Content-Type", "application/x-www-form-urlencoded");
    if (signature != null) {
      headers.put("X-Twilio-Signature", signature);
    }
    return Request.of("POST", SmsStatusCallback.PATH, Map.of(), query, headers, formBody(form));
  }

  @Test
  void ourSignatureIsTheOneTwiliosOwnValidatorAccepts() {
    String url = ABOUT.on(CALLBACK);
    String signature = TwilioSignature.sign(TOKEN, url, multi(undelivered()));

    assertTrue(new RequestValidator(TOKEN).validate(url, undelivered(), signature));
    assertFalse(new RequestValidator("another-token").validate(url, undelivered(), signature));
  }

  @Test
  void recordsASignedDeliveryCallbackWithTheProvidersStatusAndCode() throws Exception {
    String signature = TwilioSignature.sign(TOKEN, ABOUT.on(CALLBACK), multi(undelivered()));

    var response = callback.handle(post(ABOUT, undelivered(), signature));

    assertEquals(204, response.status());
    assertEquals(1, deliveries.recorded.size());
    var delivery = deliveries.recorded.get(0);
    assertEquals("m-1/undelivered", delivery.getEventId());
    assertEquals("m-1", delivery.getMessageId());
    assertEquals("user-1", delivery.getUserId());
    assertEquals("platform-a", delivery.getPlatformId());
    assertEquals(ABOUT.sentAt(), delivery.getMessageCreatedAt());
    assertEquals("undelivered", delivery.getStatus());
    assertEquals("30003", delivery.getErrorCode());
    assertEquals("SM0123456789abcdef0123456789abcdef", delivery.getProviderMessageId());
    assertFalse(delivery.toString().contains(PHONE), "the number is not recorded");
  }

  @Test
  void refusesACallbackSignedWithAnotherTokenAndRecordsNothing() {
    String forged = TwilioSignature.sign("not-our-token", ABOUT.on(CALLBACK), multi(undelivered()));

    var e =
        assertThrows(ApiException.class, () -> callback.handle(post(ABOUT, undelivered(), forged)));

    assertEquals(403, e.status());
    assertEquals(List.of(), deliveries.recorded);
  }

  @Test
  void refusesASignedCallbackWhoseFormOrUrlWasChanged() {
    String signature = TwilioSignature.sign(TOKEN, ABOUT.on(CALLBACK), multi(undelivered()));
    var delivered = undelivered();
    delivered.put("MessageStatus", "delivered");
    delivered.remove("ErrorCode");
    var otherUser = new SmsCallbackUrl("m-1", "user-2", "platform-a", ABOUT.sentAt());

    assertEquals(
        403,
        assertThrows(ApiException.class, () -> callback.handle(post(ABOUT, delivered, signature)))
            .status());
    assertEquals(
        403,
        assertThrows(
                ApiException.class,
                () -> callback.handle(post(otherUser, undelivered(), signature)))
            .status());
    assertEquals(
        403,
        assertThrows(ApiException.class, () -> callback.handle(post(ABOUT, undelivered(), null)))
            .status());
    assertEquals(List.of(), deliveries.recorded);
  }
}
