package io.userpipe.commands.sms;

import io.userpipe.schemas.SmsDelivery;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one opened message and records what became of it, with no Kafka in sight: within the rate
 * limits, retrying what can pass ({@link SmsRetry}), a refusal recorded as such. Logs message ids,
 * statuses and error codes, never the number or the text.
 */
public final class SmsDispatch {

  private static final Logger log = LoggerFactory.getLogger(SmsDispatch.class);

  /** How the dispatch waits between attempts (tests record the waits instead). */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final SmsSender sender;
  private final SmsDeliveries deliveries;
  private final SmsRateLimits limits;
  private final SmsRetry retry;
  private final Clock clock;
  private final Sleeper sleeper;

  SmsDispatch(
      SmsSender sender,
      SmsDeliveries deliveries,
      SmsRateLimits limits,
      SmsRetry retry,
      Clock clock,
      Sleeper sleeper) {
    this.sender = sender;
    this.deliveries = deliveries;
    this.limits = limits;
    this.retry = retry;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Sends it and records the outcome; throws only when the outcome could not be recorded. */
  public void dispatch(SmsRequest request) throws Exception {
    Optional<String> over = limits.admit(request.to(), request.platformId());
    if (over.isPresent()) {
      log.warn("SMS {} not sent: {}", request.messageId(), over.get());
      record(request, SmsDeliveryStatus.RATE_LIMITED, over.get(), null);
      return;
    }
    for (int attempt = 1; ; attempt++) {
      SmsOutcome outcome;
      try {
        outcome = sender.send(request);
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        // the senders' exceptions name a status or an error kind, never the message
        if (attempt >= retry.attempts()) {
          log.error(
              "SMS {} not sent after {} attempts: {}", request.messageId(), attempt, e.toString());
          record(request, SmsDeliveryStatus.UNSENT, "provider_unavailable", null);
          return;
        }
        Optional<Duration> after =
            e instanceof TransientSmsException t ? t.retryAfter() : Optional.empty();
        Duration wait = retry.delay(attempt, after, ThreadLocalRandom.current());
        log.info(
            "SMS {}: attempt {} failed ({}); again in {} ms",
            request.messageId(),
            attempt,
            e.getMessage(),
            wait.toMillis());
        sleeper.sleep(wait);
        continue;
      }
      if (outcome instanceof SmsOutcome.Accepted accepted) {
        log.info("SMS {} handed to the provider", request.messageId());
        record(request, SmsDeliveryStatus.ACCEPTED, null, accepted.providerMessageId());
      } else if (outcome instanceof SmsOutcome.Refused refused) {
        log.warn("SMS {} refused by the provider: {}", request.messageId(), refused.errorCode());
        record(request, refused.status(), refused.errorCode(), null);
      }
      return;
    }
  }

  private void record(SmsRequest request, String status, String errorCode, String providerId)
      throws Exception {
    SmsDelivery delivery =
        SmsDelivery.newBuilder()
            .setEventId(SmsDeliveries.eventId(request.messageId(), status))
            .setMessageId(request.messageId())
            .setUserId(request.userId())
            .setPlatformId(request.platformId())
            .setMessageCreatedAt(request.createdAt())
            .setStatus(status)
            .setErrorCode(errorCode)
            .setProviderMessageId(providerId)
            .setOccurredAt(clock.instant())
            .build();
    deliveries.record(delivery);
  }
}
