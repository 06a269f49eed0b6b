package io.userpipe.commands.sms;

import static io.userpipe.runtime.testing.TestRecords.bytesProducer;
import static io.userpipe.runtime.testing.TestRecords.header;
import static io.userpipe.runtime.testing.TestRecords.utf8;
import static io.userpipe.runtime.testing.TestRecords.waitUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.kafka.DeadLetters;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.SmsContent;
import io.userpipe.schemas.SmsMessage;
import io.userpipe.schemas.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The relay on a real broker and registry: what it cannot read or open is dead-lettered. */
class SmsRelayTest {

  @Test
  void aPoisonRecordAndAnUnopenableMessageAreDeadLetteredAndTheNextMessageIsSent()
      throws Exception {
    DataKeys dataKeys = DataKeys.parse(DataKeys.generateEntry("k1"), null);
    DataKeys otherKeys = DataKeys.parse(DataKeys.generateEntry("k1"), null);
    AppConfig config =
        SharedKafka.config().with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url());
    TopicCreator.ensure(config, List.of(Topics.SMS, Topics.SMS_DLQ));
    var serdes = AvroSerdes.from(config);
    List<String> sent = new CopyOnWriteArrayList<>();
    String good = "good-" + UUID.randomUUID();
    String unopenable = "unopenable-" + UUID.randomUUID();
    byte[] poison = {0, 0x7e, 0x11, 0x22, 0x33, 9, 9, 9}; // a schema id the registry never gave
    var valueSerializer = serdes.valueSerde(Topics.SMS).serializer();
    SmsSender sender =
        message -> {
          sent.add(message.messageId());
          return new SmsOutcome.Accepted(null);
        };
    var settings = SmsSenders.dispatch(config, sender, delivery -> {}, java.time.Clock.systemUTC());
    try (var relay = new SmsRelay(config, serdes, dataKeys, settings)) {
      relay.start();
      long poisonOffset;
      long unopenableOffset;
      try (var producer = bytesProducer()) {
        poisonOffset =
            producer
                .send(new ProducerRecord<>(Topics.SMS.name(), utf8("u1"), poison))
                .get()
                .offset();
        unopenableOffset =
            producer
                .send(
                    new ProducerRecord<>(
                        Topics.SMS.name(),
                        utf8("u1"),
                        valueSerializer.serialize(
                            Topics.SMS.name(), message(otherKeys, unopenable))))
                .get()
                .offset();
        producer
            .send(
                new ProducerRecord<>(
                    Topics.SMS.name(),
                    utf8("u1"),
                    valueSerializer.serialize(Topics.SMS.name(), message(dataKeys, good))))
            .get();
      }
      waitUntil(() -> sent.contains(good));
      assertTrue(sent.contains(good), "the message after the poison record was not sent");
      assertEquals(
          List.of(good),
          sent.stream().filter(id -> id.equals(good) || id.equals(unopenable)).toList());
      assertEquals("UP", relay.health());

      var letters = TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.SMS_DLQ.name());
      var poisonLetter = letterAt(letters, poisonOffset).orElseThrow();
      assertArrayEquals(poison, poisonLetter.value());
      assertEquals(Topics.SMS.name(), header(poisonLetter, DeadLetters.SOURCE_TOPIC));
      assertEquals("sms-relay", header(poisonLetter, DeadLetters.SERVICE));
      assertTrue(
          header(poisonLetter, DeadLetters.ERROR_MESSAGE).contains("cannot resolve schema id"),
          header(poisonLetter, DeadLetters.ERROR_MESSAGE));
      var unopenableLetter = letterAt(letters, unopenableOffset).orElseThrow();
      assertEquals(Topics.SMS.name(), header(unopenableLetter, DeadLetters.SOURCE_TOPIC));
      assertTrue(header(unopenableLetter, DeadLetters.ERROR_CLASS) != null);
    }
  }

  private static SmsMessage message(DataKeys keys, String id) {
    var content = SmsContent.newBuilder().setTo("+12025550173").setText("code 123456").build();
    try {
      byte[] plain = content.toByteBuffer().array();
      return SmsMessage.newBuilder()
          .setMessageId(id)
          .setUserId("u1")
          .setSealed(keys.seal(plain, "sms:" + id))
          .setCreatedAt(Instant.now())
          .build();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Optional<ConsumerRecord<byte[], byte[]>> letterAt(
      List<ConsumerRecord<byte[], byte[]>> letters, long offset) {
    return letters.stream()
        .filter(r -> Topics.SMS.name().equals(header(r, DeadLetters.SOURCE_TOPIC)))
        .filter(r -> Long.toString(offset).equals(header(r, DeadLetters.SOURCE_OFFSET)))
        .findFirst();
  }
}
