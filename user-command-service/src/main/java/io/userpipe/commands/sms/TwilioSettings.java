package io.userpipe.commands.sms;

import io.userpipe.runtime.config.AppConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Twilio's Messages API as configured: the account and its auth token, who sends (a number or a
 * messaging service), where delivery-status callbacks come back, and the timeouts.
 *
 * @param apiBaseUrl {@code https://api.twilio.com} unless set (a regional edge; a local fake in the
 *     tests)
 * @param statusCallbackUrl the public URL of this service's {@code POST /sms/status} as Twilio
 *     reaches it (behind the load balancer): the signature covers it, so it is configured, never
 *     guessed from the request; without it no callback is asked for
 */
public record TwilioSettings(
    String accountSid,
    String authToken,
    Optional<String> from,
    Optional<String> messagingServiceSid,
    URI apiBaseUrl,
    Optional<URI> statusCallbackUrl,
    Duration connectTimeout,
    Duration requestTimeout) {

  public static final String TWILIO_ACCOUNT_SID = "TWILIO_ACCOUNT_SID";
  public static final String TWILIO_AUTH_TOKEN = "TWILIO_AUTH_TOKEN";
  public static final String TWILIO_FROM = "TWILIO_FROM";
  public static final String TWILIO_MESSAGING_SERVICE_SID = "TWILIO_MESSAGING_SERVICE_SID";
  public static final String TWILIO_API_URL = "TWILIO_API_URL";
  public static final String SMS_STATUS_CALLBACK_URL = "SMS_STATUS_CALLBACK_URL";
  public static final String TWILIO_CONNECT_TIMEOUT = "TWILIO_CONNECT_TIMEOUT";
  public static final String TWILIO_REQUEST_TIMEOUT = "TWILIO_REQUEST_TIMEOUT";

  public TwilioSettings {
    if (from.isEmpty() && messagingServiceSid.isEmpty()) {
      throw new IllegalStateException(
          "Twilio needs a sender: set " + TWILIO_FROM + " or " + TWILIO_MESSAGING_SERVICE_SID);
    }
  }

  /** Whether any Twilio setting is there (then all that are needed must be). */
  static boolean configured(AppConfig config) {
    return config.find(TWILIO_ACCOUNT_SID).isPresent()
        || config.find(TWILIO_AUTH_TOKEN).isPresent();
  }

  /** From the configuration; throws naming the missing setting. */
  static TwilioSettings from(AppConfig config) {
    return new TwilioSettings(
        config.require(TWILIO_ACCOUNT_SID),
        config.require(TWILIO_AUTH_TOKEN),
        config.find(TWILIO_FROM),
        config.find(TWILIO_MESSAGING_SERVICE_SID),
        URI.create(config.get(TWILIO_API_URL, "https://api.twilio.com")),
        config.find(SMS_STATUS_CALLBACK_URL).map(URI::create),
        config.getDuration(TWILIO_CONNECT_TIMEOUT, Duration.ofSeconds(5)),
        config.getDuration(TWILIO_REQUEST_TIMEOUT, Duration.ofSeconds(10)));
  }

  /** Never the token. */
  @Override
  public String toString() {
    return "TwilioSettings[account " + accountSid + ", api " + apiBaseUrl + "]";
  }
}
