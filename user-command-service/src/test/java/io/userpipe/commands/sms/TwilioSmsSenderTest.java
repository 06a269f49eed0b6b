package io.userpipe.commands.sms;

import static io.userpipe.commands.sms.SmsFixtures.ACCOUNT;
import static io.userpipe.commands.sms.SmsFixtures.CALLBACK;
import static io.userpipe.commands.sms.SmsFixtures.CODE;
import static io.userpipe.commands.sms.SmsFixtures.PHONE;
import static io.userpipe.commands.sms.SmsFixtures.TOKEN;
import static io.userpipe.commands.sms.SmsFixtures.message;
import static io.userpipe.commands.sms.SmsFixtures.twilio;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.localstack.FakeTwilio;
import io.userpipe.localstack.FakeTwilio.Answer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The adapter against a local fake of Twilio's Messages API: the exact request, each answer. */
class TwilioSmsSenderTest {

  private final FakeTwilio fake = FakeTwilio.start();

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void postsTheFormToTheAccountsMessagesResourceWithBasicAuth() throws Exception {
    var sender = new TwilioSmsSender(twilio(fake.baseUrl()));

    var outcome = sender.send(message("m-1"));

    var accepted = assertInstanceOf(SmsOutcome.Accepted.class, outcome);
    assertTrue(accepted.providerMessageId().startsWith("SM"), accepted.providerMessageId());
    var request = fake.received().get(0);
    assertEquals("POST", request.method());
    assertEquals("/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json", request.path());
    String basic =
        Base64.getEncoder()
            .encodeToString((ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
    assertEquals("Basic " + basic, request.headers().get("authorization"));
    assertEquals("application/x-www-form-urlencoded", request.headers().get("content-type"));
    assertEquals(
        Map.of(
            "To",
            PHONE,
            "From",
            "+15005550006",
            "Body",
            "Your userpipe code is " + CODE,
            "StatusCallback",
            CALLBACK
                + "?message_id=m-1&user_id=user-1&platform_id=platform-a&sent_at="
                + message("m-1").createdAt().toEpochMilli()),
        request.form());
  }

  @Test
  void sendsFromTheMessagingServiceWhenOneIsConfigured() throws Exception {
    var settings = twilio(fake.baseUrl());
    var viaService =
        new TwilioSettings(
            settings.accountSid(),
            settings.authToken(),
            Optional.empty(),
            Optional.of("MG0123456789abcdef0123456789abcdef"),
            settings.apiBaseUrl(),
            Optional.empty(),
            settings.connectTimeout(),
            settings.requestTimeout());

    new TwilioSmsSender(viaService).send(message("m-2"));

    var form = fake.received().get(0).form();
    assertEquals("MG0123456789abcdef0123456789abcdef", form.get("MessagingServiceSid"));
    assertFalse(form.containsKey("From"));
    assertFalse(form.containsKey("StatusCallback"), "no callback asked for without its URL");
  }

  @Test
  void a429IsAnErrorThatCanPassAndCarriesTwiliosRetryAfter() {
    fake.script(Answer.tooManyRequests(7));
    var sender = new TwilioSmsSender(twilio(fake.baseUrl()));

    var e = assertThrows(TransientSmsException.class, () -> sender.send(message("m-3")));

    assertEquals(Optional.of(Duration.ofSeconds(7)), e.retryAfter());
    assertTrue(e.getMessage().contains("429"), e.getMessage());
  }

  @Test
  void a5xxIsAnErrorThatCanPass() {
    fake.script(new Answer(503, Map.of(), "{\"code\": 20500, \"status\": 503}"));
    var sender = new TwilioSmsSender(twilio(fake.baseUrl()));

    var e = assertThrows(TransientSmsException.class, () -> sender.send(message("m-4")));

    assertEquals(Optional.empty(), e.retryAfter());
  }

  @Test
  void aRedirectIsNotFollowedAndNotTheRecipientsRefusal() {
    fake.script(new Answer(301, Map.of("Location", "http://169.254.169.254/"), ""));
    var sender = new TwilioSmsSender(twilio(fake.baseUrl()));

    assertThrows(TransientSmsException.class, () -> sender.send(message("m-8")));
    assertEquals(1, fake.received().size());
  }

  @Test
  void anInvalidNumberAndAnUnsubscribedRecipientAreRefusedWithTwiliosCodes() throws Exception {
    fake.script(Answer.error(400, 21211), Answer.error(400, 21610));
    var sender = new TwilioSmsSender(twilio(fake.baseUrl()));

    assertEquals(new SmsOutcome.Refused("refused", "21211"), sender.send(message("m-5")));
    assertEquals(new SmsOutcome.Refused("refused", "21610"), sender.send(message("m-6")));
  }

  @Test
  void anUnreachableProviderIsAnErrorThatCanPass() {
    fake.close(); // nothing listens there any more
    var sender = new TwilioSmsSender(twilio(fake.baseUrl()));

    var e = assertThrows(TransientSmsException.class, () -> sender.send(message("m-7")));

    assertTrue(e.getMessage().startsWith("Twilio unreachable"), e.getMessage());
  }

  @Test
  void refusesToStartWhileTheJdkHttpClientWouldLogRequests() {
    String before = System.getProperty("jdk.httpclient.HttpClient.log");
    System.setProperty("jdk.httpclient.HttpClient.log", "requests,content");
    try {
      var e =
          assertThrows(
              IllegalStateException.class,
              () -> new TwilioSmsSender(twilio(URI.create(fake.baseUrl()).toString())));
      assertTrue(e.getMessage().contains("jdk.httpclient.HttpClient.log"), e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty("jdk.httpclient.HttpClient.log");
      } else {
        System.setProperty("jdk.httpclient.HttpClient.log", before);
      }
    }
  }
}
