package io.userpipe.runtime.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.TinVerification;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/**
 * Decision records written before they named their subject (no {@code subject} field) still read,
 * with no subject: the field is a union with null, default null, as the registry's BACKWARD check
 * asks.
 */
class DecisionRecordsUpgradeTest {

  static {
    // It decodes with Avro's own reader, not through our serdes: the decoding limits are set
    // first, as every path of ours does (Avro reads them once per JVM; AvroLimitsTest shares it).
    io.userpipe.runtime.serde.AvroLimits.apply();
  }

  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void anOfacStatusChangeWrittenBeforeSubjectsReadsWithNone() throws Exception {
    Schema old = without(OfacStatusChanged.getClassSchema(), "subject");
    GenericRecord r = new GenericData.Record(old);
    r.put("event_id", "e1");
    r.put("user_id", "u1");
    r.put("status", "unflagged");
    r.put("reason", "screening");
    r.put("evidence", List.of());
    r.put("list_version", "v1");
    r.put("occurred_at", AT.toEpochMilli());
    OfacStatusChanged read = readAs(old, r, OfacStatusChanged.getClassSchema());
    assertEquals("unflagged", read.getStatus());
    assertNull(read.getSubject());
  }

  @Test
  void aTinVerificationWrittenBeforeSubjectsReadsWithNone() throws Exception {
    Schema old = without(TinVerification.getClassSchema(), "subject");
    GenericRecord r = new GenericData.Record(old);
    r.put("event_id", "e1");
    r.put("user_id", "u1");
    r.put("submission_id", "s1");
    r.put("to_status", "matched");
    r.put("reason", "irs code 0");
    r.put("occurred_at", AT.toEpochMilli());
    TinVerification read = readAs(old, r, TinVerification.getClassSchema());
    assertEquals("matched", read.getToStatus());
    assertNull(read.getSubject());
  }

  private static Schema without(Schema schema, String field) {
    List<Schema.Field> fields =
        schema.getFields().stream()
            .filter(f -> !f.name().equals(field))
            .map(f -> new Schema.Field(f, f.schema()))
            .toList();
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  private static <T> T readAs(Schema writer, GenericRecord record, Schema reader) throws Exception {
    var out = new ByteArrayOutputStream();
    var encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
    encoder.flush();
    return new SpecificDatumReader<T>(writer, reader)
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }
}
