package io.userpipe.commands.sms;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.SmsDelivery;
import io.userpipe.schemas.Topics;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes deliveries to {@code sms.deliveries}, keyed by user id, and waits for the broker. */
public final class KafkaSmsDeliveries implements SmsDeliveries, AutoCloseable {

  private final KafkaProducer<String, SmsDelivery> producer;

  public KafkaSmsDeliveries(AppConfig config, AvroSerdes serdes) {
    this.producer =
        new KafkaProducer<>(
            ClientProps.durableWriter(config, "sms-deliveries"),
            serdes.keySerde(Topics.SMS_DELIVERIES).serializer(),
            serdes.valueSerde(Topics.SMS_DELIVERIES).serializer());
  }

  @Override
  public void record(SmsDelivery delivery) throws Exception {
    producer
        .send(new ProducerRecord<>(Topics.SMS_DELIVERIES.name(), delivery.getUserId(), delivery))
        .get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    producer.close();
  }
}
