package io.userpipe.commands.sms;

import static io.userpipe.commands.sms.SmsFixtures.CALLBACK;
import static io.userpipe.commands.sms.SmsFixtures.CLOCK;
import static io.userpipe.commands.sms.SmsFixtures.CODE;
import static io.userpipe.commands.sms.SmsFixtures.NOW;
import static io.userpipe.commands.sms.SmsFixtures.PHONE;
import static io.userpipe.commands.sms.SmsFixtures.TOKEN;
import static io.userpipe.commands.sms.SmsFixtures.generousLimits;
import static io.userpipe.commands.sms.SmsFixtures.message;
import static io.userpipe.commands.sms.SmsFixtures.twilio;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.userpipe.localstack.FakeTwilio;
import io.userpipe.localstack.FakeTwilio.Answer;
import io.userpipe.runtime.http.Request;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * No code and no number in any log line, exception or recorded delivery, with every logger at DEBUG
 * (ours, Kafka's, and the JDK's through java.util.logging at ALL), through the real Twilio adapter:
 * a success, a 429, a 5xx, a refusal, a provider that never recovers, an unreachable one, and a
 * status callback, signed and forged.
 */
class NoCodeInLogsTest {

  private final List<LogRecord> julRecords = new ArrayList<>();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Handler julHandler =
      new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
          julRecords.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private Level rootLevel;
  private java.util.logging.Level julLevel;
  private FakeTwilio fake;

  @BeforeEach
  void debugEverywhere() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    for (String name : List.of("io.userpipe", "org.apache.kafka", "jdk", "java.net")) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.DEBUG);
    }
    appender.start();
    root.addAppender(appender);
    var jul = java.util.logging.Logger.getLogger("");
    julLevel = jul.getLevel();
    jul.setLevel(java.util.logging.Level.ALL);
    jul.addHandler(julHandler);
    fake = FakeTwilio.start();
  }

  @AfterEach
  void restore() {
    fake.close();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(appender);
    root.setLevel(rootLevel);
    for (String name : List.of("io.userpipe", "jdk", "java.net")) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(null);
    }
    ((Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.WARN);
    var jul = java.util.logging.Logger.getLogger("");
    jul.removeHandler(julHandler);
    jul.setLevel(julLevel);
  }

  @Test
  void noCodeOrNumberInLogsExceptionsOrDeliveriesWhateverTwilioAnswers() throws Exception {
    var deliveries = new SmsFixtures.Deliveries();
    var dispatch =
        new SmsDispatch(
            new TwilioSmsSender(twilio(fake.baseUrl())),
            deliveries,
            generousLimits(),
            new SmsRetry(2, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(2)),
            CLOCK,
            d -> {});
    var exceptions = new ArrayList<Throwable>();
    var sender = new TwilioSmsSender(twilio(fake.baseUrl()));

    dispatch.dispatch(message("m-ok"));
    fake.script(Answer.tooManyRequests(1));
    dispatch.dispatch(message("m-429"));
    fake.script(new Answer(500, Map.of(), "{\"code\": 20500}"));
    dispatch.dispatch(message("m-500"));
    fake.script(Answer.error(400, 21211));
    dispatch.dispatch(message("m-refused"));
    fake.script(new Answer(503, Map.of(), ""), new Answer(503, Map.of(), ""));
    dispatch.dispatch(message("m-unsent"));
    fake.script(Answer.tooManyRequests(1), new Answer(500, Map.of(), "{}"));
    exceptions.add(assertThrows(TransientSmsException.class, () -> sender.send(message("x1"))));
    exceptions.add(assertThrows(TransientSmsException.class, () -> sender.send(message("x2"))));
    var unreachable = new TwilioSmsSender(twilio("http://127.0.0.1:9"));
    exceptions.add(
        assertThrows(TransientSmsException.class, () -> unreachable.send(message("x3"))));
    var callback = new SmsStatusCallback(TOKEN, CALLBACK, deliveries, CLOCK);
    var about = new SmsCallbackUrl("m-ok", "user-1", "platform-a", NOW);
    var form = Map.of("MessageStatus", "delivered", "To", PHONE, "Body", "code " + CODE);
    String body = "MessageStatus=delivered&To=%2B12025550173&Body=code+" + CODE;
    var multi = new java.util.LinkedHashMap<String, List<String>>();
    form.forEach((k, v) -> multi.put(k, List.of(v)));
    var query =
        Map.of(
            "message_id", List.of("m-ok"),
            "user_id", List.of("user-1"),
            "platform_id", List.of("platform-a"),
            "sent_at", List.of(Long.toString(NOW.toEpochMilli())));
    String signature = TwilioSignature.sign(TOKEN, about.on(CALLBACK), multi);
    callback.handle(
        Request.of(
            "POST", "/sms/status", Map.of(), query, Map.of("X-Twilio-Signature", signature), body));
    exceptions.add(
        assertThrows(
            Exception.class,
            () ->
                callback.handle(
                    Request.of(
                        "POST",
                        "/sms/status",
                        Map.of(),
                        query,
                        Map.of("X-Twilio-Signature", "forged"),
                        body))));

    assertEquals(
        List.of("accepted", "accepted", "accepted", "refused", "unsent", "delivered"),
        deliveries.statuses());
    assertTrue(appender.list.size() > 5, "the loggers ran");
    var texts = new ArrayList<String>();
    for (ILoggingEvent event : appender.list) {
      texts.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        texts.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
    }
    for (LogRecord record : julRecords) {
      texts.add(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()));
    }
    for (Throwable e : exceptions) {
      var trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      texts.add(trace.toString());
    }
    deliveries.recorded.forEach(d -> texts.add(d.toString()));
    for (String text : texts) {
      assertFalse(text.contains(CODE), "a code in: " + text);
      assertFalse(text.contains(PHONE) || text.contains("2025550173"), "a number in: " + text);
      assertFalse(text.contains(TOKEN), "the auth token in: " + text);
    }
  }
}
