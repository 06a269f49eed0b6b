package io.userpipe.commands.sms;

import io.userpipe.schemas.SmsDelivery;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the SMS tests share: a message with a code, Twilio settings for a fake, a delivery log. */
final class SmsFixtures {

  static final String CODE = "482913";
  static final String PHONE = "+12025550173";
  static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
  static final String TOKEN = "twilio-auth-token-for-tests-0123456789";
  static final URI CALLBACK = URI.create("https://sms.userpipe.example/sms/status");
  static final Instant NOW = Instant.parse("2026-12-03T10:15:30Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private SmsFixtures() {}

  static SmsRequest message(String id) {
    return message(id, PHONE, "platform-a");
  }

  static SmsRequest message(String id, String to, String platform) {
    return new SmsRequest(
        id, "user-1", platform, NOW.minusSeconds(1), to, "Your userpipe code is " + CODE);
  }

  static TwilioSettings twilio(String baseUrl) {
    return new TwilioSettings(
        ACCOUNT,
        TOKEN,
        Optional.of("+15005550006"),
        Optional.empty(),
        URI.create(baseUrl),
        Optional.of(CALLBACK),
        Duration.ofSeconds(2),
        Duration.ofSeconds(2));
  }

  /** Records deliveries in memory. */
  static final class Deliveries implements SmsDeliveries {
    final List<SmsDelivery> recorded = new CopyOnWriteArrayList<>();

    @Override
    public void record(SmsDelivery delivery) {
      recorded.add(delivery);
    }

    List<String> statuses() {
      return recorded.stream().map(SmsDelivery::getStatus).toList();
    }
  }

  /** Waits recorded instead of slept. */
  static final class Waits implements SmsDispatch.Sleeper {
    final List<Duration> waited = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
      waited.add(duration);
    }
  }

  static SmsRateLimits generousLimits() {
    return new SmsRateLimits(
        new SmsRateLimits.Limit(100, Duration.ofHours(1)),
        new SmsRateLimits.Limit(100, Duration.ofMinutes(1)),
        CLOCK);
  }
}
