package io.userpipe.runtime.streams;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * dead-lettered (KIP-1034: the dead-letter records are produced in the task's own exactly-once
 * transaction, together with the offset that skips the record) and processing resumes. A poison
 * record never stops a service.
 */
public final class DeadLetterHandlers {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterHandlers.class);

  private DeadLetterHandlers() {}

  /** Service name for the headers: the application id. */
  private static String service(Map<String, ?> configs) {
    Object id = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
    return id == null ? "unknown" : id.toString();
  }

  private static void warn(String what, ErrorHandlerContext c, Exception e) {
    log.warn(
        "{} at {}-{}@{} (processor {}), dead-lettered to {}.dlq: {}",
        what,
        c.topic(),
        c.partition(),
        c.offset(),
        c.processorNodeId(),
        c.topic(),
        e.toString());
  }

  /** A record whose key or value cannot be deserialized. */
  public static final class OnDeserialization implements DeserializationExceptionHandler {
    private String service = "unknown";

    @Override
    public void configure(Map<String, ?> configs) {
      service = service(configs);
    }

    @Override
    public Response handleError(
        ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
      warn("unreadable record", context, exception);
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

  /** A processor that throws on one record. */
  public static final class OnProcessing implements ProcessingExceptionHandler {
    private String service = "unknown";

    @Override
    public void configure(Map<String, ?> configs) {
      service = service(configs);
    }

    @Override
    public Response handleError(
        ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
      log.error(
          "processor {} failed on {}-{}@{}; dead-lettered",
          context.processorNodeId(),
          context.topic(),
          context.partition(),
          context.offset(),
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
   * An output record that cannot be serialized is dead-lettered; a broker error fails the task, so
   * the transaction aborts and exactly-once holds.
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
      return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(
        ErrorHandlerContext context,
        ProducerRecord record,
        Exception exception,
        SerializationExceptionOrigin origin) {
      warn("unserializable output (" + origin + ")", context, exception);
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
