package io.userpipe.commands.sms;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.ConsumerLoop;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.SmsContent;
import io.userpipe.schemas.SmsMessage;
import io.userpipe.schemas.Topics;
import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the SMS outbox (committed records only), opens each message and hands it to the {@link
 * SmsSender}; offsets are committed after sending, so a crash sends a message again rather than
 * never. Logs message ids, never texts or numbers.
 */
public final class SmsRelay implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SmsRelay.class);
  private static final int ATTEMPTS = 5;

  private final DataKeys dataKeys;
  private final SmsSender sender;
  private final ConsumerLoop<String, SmsMessage> loop;

  public SmsRelay(AppConfig config, AvroSerdes serdes, DataKeys dataKeys, SmsSender sender) {
    this.dataKeys = dataKeys;
    this.sender = sender;
    var consumer =
        new KafkaConsumer<>(
            ClientProps.committedReader(config, "sms-relay"),
            serdes.keySerde(Topics.SMS).deserializer(),
            serdes.valueSerde(Topics.SMS).deserializer());
    this.loop = new ConsumerLoop<>("sms-relay", consumer, Topics.SMS.name(), this::deliverAll);
  }

  public void start() {
    loop.start();
  }

  private void deliverAll(ConsumerRecords<String, SmsMessage> batch) throws InterruptedException {
    for (var record : batch) {
      if (record.value() != null) {
        deliver(record.value());
      }
    }
  }

  private void deliver(SmsMessage message) throws InterruptedException {
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
        if (attempt >= ATTEMPTS) {
          log.error(
              "SMS {} not sent after {} attempts: {}",
              message.getMessageId(),
              attempt,
              e.toString());
          return;
        }
        Thread.sleep(200L << attempt);
      }
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}
