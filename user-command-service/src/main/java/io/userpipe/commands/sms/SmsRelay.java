package io.userpipe.commands.sms;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.ConsumerLoop;
import io.userpipe.runtime.kafka.DeadLetters;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.SmsContent;
import io.userpipe.schemas.SmsMessage;
import io.userpipe.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the SMS outbox (committed records only), opens each message and hands it to the {@link
 * SmsSender} within the rate limits, retrying what can pass ({@link SmsRetry}); what became of it
 * (handed over, refused, rate-limited, never sent) is recorded on {@code sms.deliveries} before the
 * offset is committed, so a crash sends a message again rather than never. Logs message ids, never
 * texts or numbers.
 */
public final class SmsRelay implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SmsRelay.class);

  private final DataKeys dataKeys;
  private final Serializer<SmsMessage> valueSerializer;
  private final SmsDispatch dispatch;
  private final ConsumerLoop<String, SmsMessage> loop;
  private final KafkaProducer<byte[], byte[]> deadLetters;

  public SmsRelay(AppConfig config, AvroSerdes serdes, DataKeys dataKeys, SmsDispatch dispatch) {
    this.dataKeys = dataKeys;
    this.dispatch = dispatch;
    this.valueSerializer = serdes.valueSerde(Topics.SMS).serializer();
    var consumer =
        new KafkaConsumer<>(
            ClientProps.committedReader(config, "sms-relay"),
            serdes.keySerde(Topics.SMS).deserializer(),
            serdes.valueSerde(Topics.SMS).deserializer());
    this.deadLetters = ClientProps.deadLetterWriter(config, "sms-relay");
    this.loop =
        new ConsumerLoop<>(
            "sms-relay",
            consumer,
            Topics.SMS.name(),
            this::deliverAll,
            ConsumerLoop.Options.defaults()
                .deadLetters(deadLetters)
                // a message retried to the end waits some 2 minutes: not a stall
                .stallAfter(Duration.ofMinutes(3)));
  }

  /** "UP", or "DOWN: why" when the relay's loop has died or stopped polling. */
  public String health() {
    return loop.health();
  }

  public void start() {
    loop.start();
  }

  private void deliverAll(ConsumerRecords<String, SmsMessage> batch) throws Exception {
    for (var record : batch) {
      if (record.value() != null) {
        deliver(record);
      }
    }
  }

  private void deliver(ConsumerRecord<String, SmsMessage> record) throws Exception {
    SmsMessage message = record.value();
    SmsContent content;
    try {
      byte[] plain = dataKeys.open(message.getSealed(), "sms:" + message.getMessageId());
      content = SmsContent.getDecoder().decode(ByteBuffer.wrap(plain));
    } catch (Exception e) {
      deadLetter(record, e);
      log.error(
          "SMS {} cannot be opened and was dead-lettered to {}: {}",
          message.getMessageId(),
          Topics.deadLetterName(record.topic()),
          e.toString());
      return;
    }
    dispatch.dispatch(
        new SmsRequest(
            message.getMessageId(),
            message.getUserId(),
            message.getPlatformId(),
            message.getCreatedAt(),
            content.getTo(),
            content.getText()));
  }

  /**
   * The message as it was read (re-encoded from the record read: its sealed content stays sealed),
   * written durably before the batch is committed past it.
   */
  private void deadLetter(ConsumerRecord<String, SmsMessage> record, Exception error)
      throws Exception {
    byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
    byte[] value = valueSerializer.serialize(record.topic(), record.value());
    for (var letter :
        DeadLetters.of(
            "sms-relay", record.topic(), record.partition(), record.offset(), key, value, error)) {
      deadLetters.send(letter).get();
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}
