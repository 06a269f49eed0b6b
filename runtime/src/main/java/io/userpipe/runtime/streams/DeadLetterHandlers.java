package io.userpipe.runtime.streams;

import io.userpipe.runtime.kafka.DeadLetters;
import io.userpipe.runtime.serde.TransientSerdeException;
import io.userpipe.schemas.Topics;
import java.util.List;
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
 * <p>Two cases cannot be dead-lettered and are only logged (with the record's coordinates) before
 * processing resumes: an error with no source record (inside a punctuation), which has no bytes to
 * keep; and an error in a global store's thread, which has no producer (Streams would fail on the
 * dead letters). A global store that cannot read one entry must still serve the others.
 *
 * <p>Only a record that can never be processed is dead-lettered. A transient fault — the schema
 * registry down or answering 5xx ({@link TransientSerdeException}), or any other {@link
 * RetriableException} in the cause chain — is not the record's: the handler answers {@code fail},
 * the task's transaction aborts, the stream thread is replaced after a pause ({@link
 * StreamsService}) and the record is read again from the last committed offset.
 */
public final class DeadLetterHandlers {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterHandlers.class);

  private DeadLetterHandlers() {}

  /** The dead letters to hand back to Streams; none where they could not be written. */
  private static List<ProducerRecord<byte[], byte[]>> deadLetters(
      String service,
      ErrorHandlerContext context,
      String topic,
      byte[] key,
      byte[] value,
      Exception exception) {
    if (isGlobal(context)) {
      return List.of();
    }
    return DeadLetters.of(
        service, topic, context.partition(), context.offset(), key, value, exception);
  }

  /** Global store updates run as task -1_-1, on a thread without a producer. */
  private static boolean isGlobal(ErrorHandlerContext context) {
    return context.taskId() == null || context.taskId().subtopology() < 0;
  }

  private static String fate(ErrorHandlerContext context, String topic) {
    if (isGlobal(context)) {
      return "skipped (global store: no dead-letter topic)";
    }
    return topic == null
        ? "skipped (no source record: punctuation)"
        : "dead-lettered to " + Topics.deadLetterName(topic);
  }

  /**
   * A fault that is not the record's: retry it, never dead-letter it. Not in a global store's
   * thread, which cannot be replaced: failing it would stop the whole client for good, so there the
   * entry is skipped as before (after the registry client's own retries).
   */
  static boolean isTransient(ErrorHandlerContext context, Exception exception) {
    return TransientSerdeException.isTransient(exception) && !isGlobal(context);
  }

  private static void logRetry(
      String what, String topic, int partition, long offset, Exception exception) {
    // no stack trace: the cause is outside this process, and it repeats until that is fixed
    log.warn(
        "{} at {}-{}@{} failed on a transient fault; failing the task, it will be retried from"
            + " the last commit: {}",
        what,
        topic,
        partition,
        offset,
        exception.toString());
  }

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
      if (isTransient(context, exception)) {
        logRetry("reading", record.topic(), record.partition(), record.offset(), exception);
        return Response.fail();
      }
      // no stack trace: the cause is the bytes, not our code
      log.warn(
          "unreadable record at {}-{}@{}, {}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          fate(context, record.topic()),
          exception.toString());
      return Response.resume(
          deadLetters(service, context, record.topic(), record.key(), record.value(), exception));
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
      if (isTransient(context, exception)) {
        logRetry(
            "processor " + context.processorNodeId(),
            context.topic(),
            context.partition(),
            context.offset(),
            exception);
        return Response.fail();
      }
      if (exception instanceof UnprocessableRecordException) {
        // the record broke a bound of its door: its reason says it all, no stack trace
        log.warn(
            "unprocessable record at {}-{}@{}, {}: {}",
            context.topic(),
            context.partition(),
            context.offset(),
            fate(context, context.topic()),
            exception.getMessage());
        return Response.resume(sourceDeadLetters(service, context, exception));
      }
      // a bug in our code: the stack trace is what the fix needs
      log.error(
          "processor {} failed on {}-{}@{}; {}",
          context.processorNodeId(),
          context.topic(),
          context.partition(),
          context.offset(),
          fate(context, context.topic()),
          exception);
      return Response.resume(sourceDeadLetters(service, context, exception));
    }
  }

  /** The dead letter of the source record a processor or an output failed on. */
  private static List<ProducerRecord<byte[], byte[]>> sourceDeadLetters(
      String service, ErrorHandlerContext context, Exception exception) {
    return deadLetters(
        service,
        context,
        context.topic(),
        context.sourceRawKey(),
        context.sourceRawValue(),
        exception);
  }

  /**
   * An output record that cannot be serialized is a bug of one record: its source record is
   * dead-lettered and processing resumes; unless the cause is transient (the registry is down), in
   * which case the task fails and the source record is retried. A broker error is not the record's
   * fault: retriable ones are retried, the rest fail the task, so its transaction aborts and
   * exactly-once holds (the stream thread is then replaced, see {@link StreamsService}).
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
      if (isTransient(context, exception)) {
        logRetry(
            "writing to " + record.topic() + " (source)",
            context.topic(),
            context.partition(),
            context.offset(),
            exception);
        return Response.fail();
      }
      log.error(
          "cannot serialize the {} of an output to {} (source {}-{}@{}); {}",
          origin.name().toLowerCase(Locale.ROOT),
          record.topic(),
          context.topic(),
          context.partition(),
          context.offset(),
          fate(context, context.topic()),
          exception);
      return Response.resume(sourceDeadLetters(service, context, exception));
    }
  }
}
