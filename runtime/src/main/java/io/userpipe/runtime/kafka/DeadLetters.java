package io.userpipe.runtime.kafka;

import io.userpipe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter record of a source record: its bytes untouched, on {@code <source>.dlq}, with
 * headers saying what went wrong where.
 */
public final class DeadLetters {

  public static final String ERROR_CLASS = "x-dlq-error-class";
  public static final String ERROR_MESSAGE = "x-dlq-error-message";
  public static final String SOURCE_TOPIC = "x-dlq-source-topic";
  public static final String SOURCE_PARTITION = "x-dlq-source-partition";
  public static final String SOURCE_OFFSET = "x-dlq-source-offset";
  public static final String SERVICE = "x-dlq-service";

  private DeadLetters() {}

  /**
   * The dead letter of the record at {@code topic-partition@offset}; none when there is no source
   * record (an error inside a punctuation), since there are no bytes to keep.
   */
  public static List<ProducerRecord<byte[], byte[]>> of(
      String service,
      String topic,
      int partition,
      long offset,
      byte[] key,
      byte[] value,
      Exception error) {
    if (topic == null) {
      return List.of();
    }
    var headers = new RecordHeaders();
    headers.add(ERROR_CLASS, utf8(error.getClass().getName()));
    headers.add(ERROR_MESSAGE, utf8(String.valueOf(rootMessage(error))));
    headers.add(SOURCE_TOPIC, utf8(topic));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
    headers.add(SERVICE, utf8(service));
    return List.of(new ProducerRecord<>(Topics.deadLetterName(topic), null, key, value, headers));
  }

  private static String rootMessage(Throwable error) {
    StringBuilder message = new StringBuilder(String.valueOf(error.getMessage()));
    for (Throwable cause = error.getCause();
        cause != null && cause != cause.getCause();
        cause = cause.getCause()) {
      message
          .append(" <- ")
          .append(cause.getClass().getSimpleName())
          .append(": ")
          .append(cause.getMessage());
    }
    return message.length() > 2000 ? message.substring(0, 2000) : message.toString();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
