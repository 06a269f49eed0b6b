package io.userpipe.commands.sms;

import io.userpipe.runtime.config.AppConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Chooses the SMS provider from the configuration: Twilio when its settings are there; the outbox
 * file only in the local demo ({@link AppConfig#isLocalDemo}). Anywhere else a missing provider is
 * a start-up error naming what to set: a production service never writes codes to a file.
 */
public final class SmsSenders {

  public static final String SMS_OUTBOX_FILE = "SMS_OUTBOX_FILE";
  public static final String SMS_MAX_PER_RECIPIENT_PER_HOUR = "SMS_MAX_PER_RECIPIENT_PER_HOUR";
  public static final String SMS_MAX_PER_PLATFORM_PER_MINUTE = "SMS_MAX_PER_PLATFORM_PER_MINUTE";

  private SmsSenders() {}

  /** Twilio's settings when configured; throws naming a missing one. */
  public static Optional<TwilioSettings> twilio(AppConfig config) {
    return TwilioSettings.configured(config)
        ? Optional.of(TwilioSettings.from(config))
        : Optional.empty();
  }

  /**
   * The sender: Twilio's when configured, else the outbox file in the local demo.
   *
   * @throws IllegalStateException outside the local demo without a provider
   */
  public static SmsSender sender(AppConfig config, Clock clock) {
    var twilio = twilio(config);
    if (twilio.isPresent()) {
      return new TwilioSmsSender(twilio.get());
    }
    if (config.isLocalDemo()) {
      return new OutboxFileSmsSender(outbox(config), clock);
    }
    throw new IllegalStateException(
        "no SMS provider is configured: set "
            + TwilioSettings.TWILIO_ACCOUNT_SID
            + ", "
            + TwilioSettings.TWILIO_AUTH_TOKEN
            + " and "
            + TwilioSettings.TWILIO_FROM
            + " or "
            + TwilioSettings.TWILIO_MESSAGING_SERVICE_SID
            + " (the SMS outbox file is the local demo's only)");
  }

  /** Where the local demo's outbox file is. */
  public static Path outbox(AppConfig config) {
    return Path.of(config.get(SMS_OUTBOX_FILE, "var/sms-outbox.txt")).toAbsolutePath();
  }

  /** The relay's dispatch: the sender, where deliveries go, the limits and the retry policy. */
  public static SmsDispatch dispatch(
      AppConfig config, SmsSender sender, SmsDeliveries deliveries, Clock clock) {
    var limits =
        new SmsRateLimits(
            new SmsRateLimits.Limit(
                config.getInt(SMS_MAX_PER_RECIPIENT_PER_HOUR, 10), Duration.ofHours(1)),
            new SmsRateLimits.Limit(
                config.getInt(SMS_MAX_PER_PLATFORM_PER_MINUTE, 1200), Duration.ofMinutes(1)),
            clock);
    return new SmsDispatch(
        sender, deliveries, limits, SmsRetry.DEFAULT, clock, d -> Thread.sleep(d.toMillis()));
  }
}
