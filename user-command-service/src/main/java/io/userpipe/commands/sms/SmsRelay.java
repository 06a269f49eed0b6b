package io.userpipe.commands.sms;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.SmsContent;
import io.userpipe.schemas.SmsMessage;
import io.userpipe.schemas.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the SMS outbox (committed records only), opens each message and hands it to the {@link
 * SmsSender}; offsets are committed after sending, so a crash sends a message again rather than
 * never. Logs message ids, never texts or numbers.
 */
public final class SmsRelay implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SmsRelay.class);

  private final KafkaConsumer<String, SmsMessage> consumer;
  private final DataKeys dataKeys;
  private final SmsSender sender;
  private final Thread thread;
  private volatile boolean running = true;

  public SmsRelay(AppConfig config, AvroSerdes serdes, DataKeys dataKeys, SmsSender sender) {
    var props = ClientProps.committedReader(config, "sms-relay");
    this.consumer =
        new KafkaConsumer<>(
            props,
            serdes.keySerde(Topics.SMS).deserializer(),
            serdes.valueSerde(Topics.SMS).deserializer());
    this.dataKeys = dataKeys;
    this.sender = sender;
    this.thread = new Thread(this::run, "sms-relay");
    this.thread.setDaemon(true);
  }

  public void start() {
    consumer.subscribe(List.of(Topics.SMS.name()));
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<String, SmsMessage> record : consumer.poll(Duration.ofMillis(200))) {
          deliver(record.value());
        }
        consumer.commitSync();
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void deliver(SmsMessage message) {
    if (message == null) {
      return;
    }
    SmsContent content;
    try {
      byte[] plain = dataKeys.open(message.getSealed(), "sms:" + message.getMessageId());
      content = SmsContent.getDecoder().decode(ByteBuffer.wrap(plain));
    } catch (Exception e) {
      log.error("SMS {} cannot be opened and is dropped: {}", message.getMessageId(), e.toString());
      return;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        sender.send(message.getMessageId(), content.getTo(), content.getText());
        log.info("SMS {} handed to the sender", message.getMessageId());
        return;
      } catch (Exception e) {
        if (attempt >= 5 || !running) {
          log.error(
              "SMS {} not sent after {} attempts: {}",
              message.getMessageId(),
              attempt,
              e.toString());
          return;
        }
        sleep(200L << attempt);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
