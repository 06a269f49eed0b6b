package io.userpipe.commands.sms;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The outbox file is the local demo's only: anywhere else no provider is a start-up error. */
class SmsSendersTest {

  private static final Map<String, String> TWILIO =
      Map.of(
          TwilioSettings.TWILIO_ACCOUNT_SID, SmsFixtures.ACCOUNT,
          TwilioSettings.TWILIO_AUTH_TOKEN, SmsFixtures.TOKEN,
          TwilioSettings.TWILIO_FROM, "+15005550006");

  @Test
  void withoutAProviderOutsideTheLocalDemoItRefusesToStartNamingTheSettings() {
    var config = AppConfig.of(Map.of(SmsSenders.SMS_OUTBOX_FILE, "/tmp/outbox.txt"));

    var e =
        assertThrows(
            IllegalStateException.class, () -> SmsSenders.sender(config, Clock.systemUTC()));

    assertTrue(e.getMessage().contains("TWILIO_ACCOUNT_SID"), e.getMessage());
    assertTrue(e.getMessage().contains("local demo"), e.getMessage());
  }

  @Test
  void theLocalDemoWithoutAProviderWritesTheOutboxFile() {
    var config = AppConfig.of(Map.of()).asLocalDemo();

    assertInstanceOf(OutboxFileSmsSender.class, SmsSenders.sender(config, Clock.systemUTC()));
  }

  @Test
  void twilioWhenConfiguredEvenInTheLocalDemo() {
    assertInstanceOf(
        TwilioSmsSender.class, SmsSenders.sender(AppConfig.of(TWILIO), Clock.systemUTC()));
    assertInstanceOf(
        TwilioSmsSender.class,
        SmsSenders.sender(AppConfig.of(TWILIO).asLocalDemo(), Clock.systemUTC()));
  }

  @Test
  void aHalfConfiguredTwilioIsAStartUpErrorNamingWhatIsMissing() {
    var noSender =
        AppConfig.of(
            Map.of(
                TwilioSettings.TWILIO_ACCOUNT_SID, SmsFixtures.ACCOUNT,
                TwilioSettings.TWILIO_AUTH_TOKEN, SmsFixtures.TOKEN));
    var noToken = AppConfig.of(Map.of(TwilioSettings.TWILIO_ACCOUNT_SID, SmsFixtures.ACCOUNT));

    var e1 =
        assertThrows(
            IllegalStateException.class, () -> SmsSenders.sender(noSender, Clock.systemUTC()));
    var e2 =
        assertThrows(
            IllegalStateException.class, () -> SmsSenders.sender(noToken, Clock.systemUTC()));

    assertTrue(e1.getMessage().contains("TWILIO_FROM"), e1.getMessage());
    assertTrue(e2.getMessage().contains("TWILIO_AUTH_TOKEN"), e2.getMessage());
  }
}
