package io.userpipe.runtime.serde;

import io.userpipe.runtime.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro in the Confluent wire format — byte 0, the 4-byte big-endian schema id, Avro binary —
 * against any registry speaking Confluent's REST API. A drop-in for Confluent's {@code
 * SpecificAvroSerde}: configured with {@code schema.registry.url} (and optionally {@code
 * auto.register.schemas}), it reads into the generated class named by the writer schema, with that
 * class's schema as reader schema so that evolution works. Subjects follow TopicNameStrategy
 * ({@code <topic>-value}, {@code <topic>-key}); a subject this process registers is set to BACKWARD
 * compatibility.
 *
 * <p>Failures come in two kinds. A registry that cannot be reached, times out or answers 5xx/429
 * (after the client's own short retries) throws {@link TransientSerdeException}: the record is fine
 * and must be retried. Everything else — an unknown schema id (404), bytes that are not the wire
 * format, corrupt Avro, no generated class — throws {@link SerializationException}: the record can
 * never be read.
 */
public final class RegistryAvroSerde<T extends SpecificRecord> implements Serde<T> {

  public static final String REGISTRY_URL = "schema.registry.url";
  public static final String AUTO_REGISTER = "auto.register.schemas";
  static final byte MAGIC = 0;

  static {
    TrustedPackages.trust();
  }

  private SchemaRegistryClient registry;
  private boolean isKey;
  private boolean autoRegister = true;
  private final Map<String, Boolean> compatibilitySet = new ConcurrentHashMap<>();
  private final Map<Long, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
  private final Map<Schema, SpecificDatumWriter<T>> writers = new ConcurrentHashMap<>();
  private final Map<String, Integer> idsBySubject = new ConcurrentHashMap<>();

  public RegistryAvroSerde() {}

  /** For callers holding a client already. */
  public RegistryAvroSerde(SchemaRegistryClient registry, boolean isKey) {
    this.registry = registry;
    this.isKey = isKey;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Object url = configs.get(REGISTRY_URL);
    if (url == null || url.toString().isBlank()) {
      throw new IllegalArgumentException(REGISTRY_URL + " is required");
    }
    this.registry = new SchemaRegistryClient(url.toString());
    this.isKey = isKey;
    Object auto = configs.get(AUTO_REGISTER);
    this.autoRegister = auto == null || Boolean.parseBoolean(auto.toString());
  }

  @Override
  public Serializer<T> serializer() {
    return this::serialize;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this::deserialize;
  }

  byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    Schema schema = record.getSchema();
    String subject = topic + (isKey ? "-key" : "-value");
    int id;
    try {
      id = idFor(subject, schema);
    } catch (SchemaRegistryClient.RegistryException e) {
      throw registryFailure("cannot register " + schema.getFullName() + " for " + subject, e);
    }
    try {
      var out = new ByteArrayOutputStream(128);
      out.write(MAGIC);
      out.write(ByteBuffer.allocate(4).putInt(id).array());
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writers.computeIfAbsent(schema, SpecificDatumWriter::new).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot serialize " + schema.getFullName() + " for " + subject + ": " + e.getMessage(),
          e);
    }
  }

  private int idFor(String subject, Schema schema) {
    String cacheKey = subject + "\u0000" + schema.getFullName() + "\u0000" + schema.hashCode();
    return idsBySubject.computeIfAbsent(
        cacheKey,
        k -> {
          if (!autoRegister) {
            throw new SerializationException(
                "auto.register.schemas is off and " + subject + " is not known to this serde");
          }
          int id = registry.register(subject, schema);
          compatibilitySet.computeIfAbsent(
              subject,
              s -> {
                registry.setCompatibility(s, "BACKWARD");
                return true;
              });
          return id;
        });
  }

  T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (bytes.length < 5) {
      throw new SerializationException(
          "not the Confluent wire format on " + topic + ": " + bytes.length + " bytes");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (buffer.get() != MAGIC) {
      throw new SerializationException(
          "not the Confluent wire format on " + topic + ": magic byte " + bytes[0]);
    }
    int id = buffer.getInt();
    SpecificDatumReader<T> reader;
    try {
      reader = readers.computeIfAbsent((long) id, k -> readerFor(id));
    } catch (SchemaRegistryClient.RegistryException e) {
      throw registryFailure("cannot resolve schema id " + id + " on " + topic, e);
    } catch (RuntimeException e) {
      throw new SerializationException(
          "cannot resolve schema id " + id + " on " + topic + ": " + e.getMessage(), e);
    }
    try {
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
      T value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException("trailing bytes after the Avro record");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "corrupt Avro on " + topic + " (schema id " + id + "): " + e, e);
    }
  }

  /** Transient when the registry is at fault (down, 5xx, 429), else permanent. */
  private static RuntimeException registryFailure(
      String what, SchemaRegistryClient.RegistryException e) {
    String message = what + ": " + e.getMessage();
    return e.isTransient()
        ? new TransientSerdeException(message, e)
        : new SerializationException(message, e);
  }

  @SuppressWarnings("unchecked")
  private SpecificDatumReader<T> readerFor(int id) {
    Schema writer = registry.schemaById(id);
    Class<?> type = SpecificData.get().getClass(writer);
    if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
      throw new SerializationException("no generated class for " + writer.getFullName());
    }
    Schema reader = SpecificData.get().getSchema(type);
    return new SpecificDatumReader<>(writer, reader);
  }
}
