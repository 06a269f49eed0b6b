package io.userpipe.projections.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.registry.SchemaRegistryClient;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.Topics;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

/**
 * The public compliance event is a compatibility promise: a consumer built on the previous schema
 * (version 1, kept in test resources as that consumer has it) still reads events written today, and
 * the registry, set to BACKWARD, accepts today's schema after version 1.
 */
class ComplianceEventContractTest {

  private static Schema version1() throws Exception {
    try (InputStream in =
        ComplianceEventContractTest.class.getResourceAsStream(
            "/contracts/ComplianceEvent-v1.avsc")) {
      return new Schema.Parser().parse(in);
    }
  }

  @Test
  void aConsumerOnThePreviousSchemaReadsTodaysEvents() throws Exception {
    String topic = "contract-" + UUID.randomUUID();
    var event =
        ComplianceEvent.newBuilder()
            .setEventId("e1")
            .setUserId("u1")
            .setType("tin_status_changed")
            .setPreviousStatus("pending")
            .setNewStatus("matched")
            .setEvidence(Map.of("irs_code", "0"))
            .setOccurredAt(Instant.parse("2026-11-24T12:00:00Z"))
            .setPlatformId("p1")
            .build();
    byte[] bytes =
        new AvroSerdes(SharedRegistry.url())
            .value(ComplianceEvent.class)
            .serializer()
            .serialize(topic, event);

    // The old consumer: wire format header, writer schema from the registry, its own reader schema.
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    assertEquals(0, buffer.get());
    Schema writer = new SchemaRegistryClient(SharedRegistry.url()).schemaById(buffer.getInt());
    var reader = new GenericDatumReader<GenericRecord>(writer, version1());
    GenericRecord old =
        reader.read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));

    assertEquals("u1", old.get("user_id").toString());
    assertEquals("tin_status_changed", old.get("type").toString());
    assertEquals("matched", old.get("new_status").toString());
    assertEquals(null, old.getSchema().getField("platform_id"));
  }

  @Test
  void theRegistryAcceptsTodaysSchemaAfterVersionOneUnderBackward() throws Exception {
    var registry = new SchemaRegistryClient(SharedRegistry.url());
    String subject = "contract-" + UUID.randomUUID() + "-value";
    registry.register(subject, version1());
    registry.setCompatibility(subject, "BACKWARD");
    assertTrue(registry.isCompatible(subject, ComplianceEvent.getClassSchema()));
    assertEquals(Topics.COMPLIANCE_EVENTS.valueType(), ComplianceEvent.class);
  }
}
