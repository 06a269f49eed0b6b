package io.userpipe.commands.sms;

import static io.userpipe.commands.sms.SmsFixtures.CLOCK;
import static io.userpipe.commands.sms.SmsFixtures.generousLimits;
import static io.userpipe.commands.sms.SmsFixtures.message;
import static io.userpipe.commands.sms.SmsFixtures.twilio;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.localstack.FakeTwilio;
import io.userpipe.localstack.FakeTwilio.Answer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One message from the relay's hand to its recorded outcome, through the real Twilio adapter and a
 * local fake of Twilio's API: retries on what can pass, a refusal recorded once, the rate limits.
 */
class SmsDispatchTest {

  private final FakeTwilio fake = FakeTwilio.start();
  private final SmsFixtures.Deliveries deliveries = new SmsFixtures.Deliveries();
  private final SmsFixtures.Waits waits = new SmsFixtures.Waits();

  @AfterEach
  void stop() {
    fake.close();
  }

  private SmsDispatch dispatch(SmsRateLimits limits) {
    return new SmsDispatch(
        new TwilioSmsSender(twilio(fake.baseUrl())),
        deliveries,
        limits,
        SmsRetry.DEFAULT,
        CLOCK,
        waits);
  }

  @Test
  void waitsAsLongAsA429SaysThenRecordsTheHandOver() throws Exception {
    fake.script(Answer.tooManyRequests(3));

    dispatch(generousLimits()).dispatch(message("m-1"));

    assertEquals(2, fake.received().size());
    assertEquals(List.of(Duration.ofSeconds(3)), waits.waited);
    assertEquals(List.of("accepted"), deliveries.statuses());
    var delivery = deliveries.recorded.get(0);
    assertEquals("m-1/accepted", delivery.getEventId());
    assertEquals("user-1", delivery.getUserId());
    assertEquals("platform-a", delivery.getPlatformId());
    assertTrue(delivery.getProviderMessageId().startsWith("SM"));
  }

  @Test
  void retriesA5xxWithGrowingWaitsAndRecordsUnsentWhenItNeverPasses() throws Exception {
    var unavailable = new Answer(503, Map.of(), "{\"code\": 20500}");
    for (int i = 0; i < SmsRetry.DEFAULT.attempts(); i++) {
      fake.script(unavailable);
    }

    dispatch(generousLimits()).dispatch(message("m-2"));

    assertEquals(SmsRetry.DEFAULT.attempts(), fake.received().size());
    assertEquals(SmsRetry.DEFAULT.attempts() - 1, waits.waited.size());
    assertEquals(List.of("unsent"), deliveries.statuses());
    assertEquals("provider_unavailable", deliveries.recorded.get(0).getErrorCode());
  }

  @Test
  void aFailingThenRecoveringProviderGetsTheMessageOnce() throws Exception {
    fake.script(new Answer(500, Map.of(), ""), new Answer(502, Map.of(), ""));

    dispatch(generousLimits()).dispatch(message("m-3"));

    assertEquals(3, fake.received().size());
    assertEquals(List.of("accepted"), deliveries.statuses());
  }

  @Test
  void recordsAPermanentRefusalWithItsCodeWithoutTryingAgain() throws Exception {
    fake.script(Answer.error(400, 21610));

    dispatch(generousLimits()).dispatch(message("m-4"));

    assertEquals(1, fake.received().size());
    assertEquals(List.of("refused"), deliveries.statuses());
    assertEquals("21610", deliveries.recorded.get(0).getErrorCode());
    assertEquals(List.of(), waits.waited);
  }

  @Test
  void holdsBackMessagesOverTheRecipientsOrThePlatformsLimit() throws Exception {
    var limits =
        new SmsRateLimits(
            new SmsRateLimits.Limit(2, Duration.ofHours(1)),
            new SmsRateLimits.Limit(3, Duration.ofMinutes(1)),
            CLOCK);
    var dispatch = dispatch(limits);

    dispatch.dispatch(message("m-1", "+12025550101", "platform-a"));
    dispatch.dispatch(message("m-2", "+12025550101", "platform-a"));
    dispatch.dispatch(message("m-3", "+12025550101", "platform-b")); // the number's third
    dispatch.dispatch(message("m-4", "+12025550102", "platform-a")); // platform-a's third
    dispatch.dispatch(message("m-5", "+12025550103", "platform-a")); // platform-a's fourth
    dispatch.dispatch(message("m-6", "+12025550103", "platform-b"));

    assertEquals(4, fake.received().size());
    assertEquals(
        List.of("accepted", "accepted", "rate_limited", "accepted", "rate_limited", "accepted"),
        deliveries.statuses());
    assertEquals("recipient_limit", deliveries.recorded.get(2).getErrorCode());
    assertEquals("platform_limit", deliveries.recorded.get(4).getErrorCode());
  }
}
