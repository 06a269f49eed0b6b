package io.userpipe.runtime.streams;

import io.userpipe.schemas.Topics;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' error handlers, all alike: a record that cannot be read, processed or written is
 * dead-lettered to {@code <source topic>.dlq} and processing resumes. The dead letters go back to
 * Streams in the handler's {@code Response} (KIP-1034), so Streams produces them in the task's own
 * exactly-once transaction, together with the offset commit that skips the record: a crash can
 * neither lose the dead letter nor skip the record without one. A poison record never stops a
 * service.
 *
 * <p>An error with no source record (inside a punctuation) has no bytes to keep: it is logged with
 * its stack trace and processing resumes.
 */
public final class DeadLetterHandlers {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterHandlers.class);

  private DeadLetterHandlers() {}

  /** Service name for the headers: the application id. */
  private static String service(Map<String, ?> configs) {
    Object id = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
    return id == null ? "unknown" : id.toString();
  }

  /** A record whose key or value cannot be deserialized: its bytes go untouched to the DLQ. */
  public static final class OnDeserialization implements DeserializationExceptionHandler {
    private String service = "unknown";

    @Override
    public void configure(Map<String, ?> configs) {
      service = service(configs);
    }

    @Override
    public Response handleError(
        ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
      // no stack trace: the cause is the bytes, not our code
      log.warn(
          "unreadable record at {}-{}@{}, dead-lettered to {}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          Topics.deadLetterName(record.topic()),
          exception.toString());
      return Response.resume(
          DeadLetters.of(
              service,
              record.topic(),
              record.partition(),
              record.offset(),
              record.key(),
              record.value(),
              exception));
    }
  }

  /** A processor that throws on one record: the source record goes to the DLQ with the error. */
  public static final class OnProcessing implements ProcessingExceptionHandler {
    private String service = "unknown";

    @Override
    public void configure(Map<String, ?> configs) {
      service = service(configs);
    }

    @Override
    public Response handleError(
        ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
      // a bug in our code: the stack trace is what the fix needs
      log.error(
          "processor {} failed on {}-{}@{}; {}",
          context.processorNodeId(),
          context.topic(),
          context.partition(),
          context.offset(),
          context.topic() == null ? "no source record (punctuation), skipped" : "dead-lettered",
          exception);
      return Response.resume(
          DeadLetters.of(
              service,
              context.topic(),
              context.partition(),
              context.offset(),
              context.sourceRawKey(),
              context.sourceRawValue(),
              exception));
    }
  }

  /**
   * An output record that cannot be serialized is a bug of one record: its source record is
   * dead-lettered and processing resumes. A broker error is not the record's fault: retriable ones
   * are retried, the rest fail the task, so its transaction aborts and exactly-once holds (the
   * stream thread is then replaced, see {@link StreamsService}).
   */
  public static final class OnProduction implements ProductionExceptionHandler {
    private String service = "unknown";

    @Override
    public void configure(Map<String, ?> configs) {
      service = service(configs);
    }

    @Override
    public Response handleError(
        ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
      if (exception instanceof RetriableException) {
        return Response.retry();
      }
      log.error(
          "cannot write to {} (source {}-{}@{}); failing the task so its transaction aborts",
          record.topic(),
          context.topic(),
          context.partition(),
          context.offset(),
          exception);
      return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(
        ErrorHandlerContext context,
        ProducerRecord record,
        Exception exception,
        SerializationExceptionOrigin origin) {
      log.error(
          "cannot serialize the {} of an output to {} (source {}-{}@{}); {}",
          origin.name().toLowerCase(Locale.ROOT),
          record.topic(),
          context.topic(),
          context.partition(),
          context.offset(),
          context.topic() == null ? "no source record (punctuation), dropped" : "dead-lettered",
          exception);
      return Response.resume(
          DeadLetters.of(
              service,
              context.topic(),
              context.partition(),
              context.offset(),
              context.sourceRawKey(),
              context.sourceRawValue(),
              exception));
    }
  }
}
