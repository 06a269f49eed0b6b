package io.userpipe.runtime.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Small helpers the tests of every module share: raw records, their headers, waiting. */
public final class TestRecords {

  private TestRecords() {}

  /** A producer of raw bytes to the shared broker: for poison records and forged ones. */
  public static KafkaProducer<byte[], byte[]> bytesProducer() {
    return new KafkaProducer<>(
        SharedKafka.clientProps(), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Waits (up to a minute) until the condition holds; the caller asserts what it needs. */
  public static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A header's value as text, null when absent. */
  public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
