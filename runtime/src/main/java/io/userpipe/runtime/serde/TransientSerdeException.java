package io.userpipe.runtime.serde;

import org.apache.kafka.common.errors.RetriableException;

/**
 * A record could not be (de)serialized for a reason that is not the record's: the schema registry
 * could not be reached, timed out, or answered 5xx/429. The same bytes will read fine once the
 * registry is back, so the record must be retried, never dead-lettered.
 *
 * <p>It extends {@link RetriableException}, deliberately not {@link
 * org.apache.kafka.common.errors.SerializationException}: code that catches {@code
 * SerializationException} to drop or dead-letter a poison record must not catch this by accident. A
 * {@code SerializationException} from {@link RegistryAvroSerde} always means a permanent fault
 * (unknown schema id, bad wire format, corrupt Avro, no generated class).
 */
public class TransientSerdeException extends RetriableException {

  public TransientSerdeException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Is {@code error}, or any of its causes, a transient fault? */
  public static boolean isTransient(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof RetriableException) {
        return true;
      }
      if (e instanceof io.userpipe.runtime.registry.SchemaRegistryClient.RegistryException r) {
        return r.isTransient(); // a raw client error, not wrapped by the serde
      }
    }
    return false;
  }
}
