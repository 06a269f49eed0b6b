package io.userpipe.runtime.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.userpipe.runtime.registry.SchemaRegistryClient;
import io.userpipe.runtime.testing.Ports;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.Rejection;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserView;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The serde against a real registry (Apicurio's Confluent API, or SCHEMA_REGISTRY_URL). */
class RegistryAvroSerdeTest {

  private static final Instant AT = Instant.parse("2026-11-24T12:00:00Z");

  private final SchemaRegistryClient registry = new SchemaRegistryClient(SharedRegistry.url());
  private final AvroSerdes serdes = new AvroSerdes(SharedRegistry.url());

  private static String topic() {
    return "serde-test-" + UUID.randomUUID();
  }

  static UserCommand command() {
    return UserCommand.newBuilder()
        .setCommandId("c1")
        .setPlatformId("p1")
        .setIssuedAt(AT)
        .setPayload(
            new CreateUser(
                "Ada",
                "Lovelace",
                "ada@example.com",
                "1",
                "2025550173",
                null,
                null,
                Map.of("k", "v")))
        .build();
  }

  static UserEvent event() {
    return UserEvent.newBuilder()
        .setEventId("e1")
        .setUserId("u1")
        .setVersion(1)
        .setOccurredAt(AT)
        .setPayload(
            new UserCreated(
                new EncryptedValue(
                    "k1", ByteBuffer.wrap(new byte[12]), ByteBuffer.wrap(new byte[] {1, 2, 3}))))
        .build();
  }

  static CommandResult result() {
    return CommandResult.newBuilder()
        .setCommandId("c1")
        .setPlatformId("p1")
        .setCommandType("CreateUser")
        .setOutcome(CommandOutcome.REJECTED)
        .setRejection(new Rejection("invalid_field", "email", "is not a valid email address"))
        .setDecidedAt(AT)
        .build();
  }

  static UserView view() {
    return UserView.newBuilder()
        .setId("u1")
        .setVersion(1)
        .setPlatforms(List.of("p1"))
        .setStatus("unverified")
        .setCreated(AT)
        .setUpdated(AT)
        .build();
  }

  @SuppressWarnings("unchecked")
  private <T extends SpecificRecord> void assertRoundTrip(T record) {
    var serde = serdes.value((Class<T>) record.getClass());
    String topic = topic();
    byte[] bytes = serde.serializer().serialize(topic, record);
    assertEquals(record, serde.deserializer().deserialize(topic, bytes));
  }

  @Test
  void roundTripsEveryContractOnTheTopics() {
    assertRoundTrip(command());
    assertRoundTrip(event());
    assertRoundTrip(result());
    assertRoundTrip(view());
  }

  @Test
  void writesTheConfluentWireFormatWithTheIdTheRegistryGave() {
    String topic = topic();
    byte[] bytes = serdes.value(UserEvent.class).serializer().serialize(topic, event());

    assertEquals(0, bytes[0]);
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    assertEquals(id, registry.register(topic + "-value", UserEvent.getClassSchema()));
    assertEquals(UserEvent.getClassSchema(), registry.schemaById(id));
  }

  @Test
  void setsBackwardCompatibilityOnTheSubjectsItRegisters() {
    String topic = topic();
    serdes.value(UserView.class).serializer().serialize(topic, view());
    assertEquals("BACKWARD", registry.compatibility(topic + "-value").orElseThrow());
  }

  @Test
  void writersSettingANewSubjectsCompatibilityAtOnceAllSucceed() throws Exception {
    // two projections instances folding a new store's first record at once: the registry answers
    // the loser 409 "A rule named 'COMPATIBILITY' already exists", which was dead-lettering it
    String subject = topic() + "-value";
    Schema schema =
        SchemaBuilder.record("Raced").namespace("test").fields().requiredString("a").endRecord();
    registry.register(subject, schema);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.concurrent.Callable<Boolean> set =
          () -> {
            new SchemaRegistryClient(SharedRegistry.url()).setCompatibility(subject, "BACKWARD");
            return true;
          };
      for (var done : pool.invokeAll(java.util.Collections.nCopies(4, set))) {
        assertTrue(done.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals("BACKWARD", registry.compatibility(subject).orElseThrow());
  }

  @Test
  void writersRegisteringANewSubjectAtOnceAllGetItsId() throws Exception {
    // two services publishing a new topic's first record at once (retention.keys): the registry
    // answers one of them 409 "already exists"; asked again it answers the id
    String subject = topic() + "-value";
    Schema schema =
        SchemaBuilder.record("Raced").namespace("test").fields().requiredString("a").endRecord();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.concurrent.Callable<Integer> register =
          () -> new SchemaRegistryClient(SharedRegistry.url()).register(subject, schema);
      var ids = pool.invokeAll(java.util.Collections.nCopies(4, register));
      int first = ids.get(0).get();
      for (var id : ids) {
        assertEquals(first, id.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void decisionRecordsNamingTheirSubjectAreABackwardCompatibleChange() {
    for (Schema current :
        List.of(
            io.userpipe.schemas.OfacStatusChanged.getClassSchema(),
            io.userpipe.schemas.TinVerification.getClassSchema())) {
      String subject = topic() + "-value";
      var before =
          Schema.createRecord(
              current.getName(),
              current.getDoc(),
              current.getNamespace(),
              false,
              current.getFields().stream()
                  .filter(f -> !f.name().equals("subject"))
                  .map(f -> new Schema.Field(f, f.schema()))
                  .toList());
      registry.register(subject, before);
      registry.setCompatibility(subject, "BACKWARD");
      assertTrue(registry.isCompatible(subject, current), current.getName());
    }
  }

  @Test
  void registryRefusesAnIncompatibleChangeAndAcceptsAnOptionalField() {
    String subject = topic() + "-value";
    Schema v1 =
        SchemaBuilder.record("Thing").namespace("test").fields().requiredString("a").endRecord();
    registry.register(subject, v1);
    registry.setCompatibility(subject, "BACKWARD");

    Schema requiredAdded =
        SchemaBuilder.record("Thing")
            .namespace("test")
            .fields()
            .requiredString("a")
            .requiredString("b")
            .endRecord();
    Schema optionalAdded =
        SchemaBuilder.record("Thing")
            .namespace("test")
            .fields()
            .requiredString("a")
            .optionalString("b")
            .endRecord();

    assertFalse(registry.isCompatible(subject, requiredAdded));
    assertTrue(registry.isCompatible(subject, optionalAdded));
  }

  @Test
  void readsARecordWrittenWithAnOlderSchemaIntoTheCurrentClass() throws Exception {
    // CommandResult as it was before user_version and created were added.
    Schema current = CommandResult.getClassSchema();
    List<Schema.Field> older =
        current.getFields().stream()
            .filter(f -> !f.name().equals("user_version") && !f.name().equals("created"))
            .map(f -> new Schema.Field(f, f.schema()))
            .toList();
    Schema v1 =
        Schema.createRecord(
            current.getName(), current.getDoc(), current.getNamespace(), false, older);
    String topic = topic();
    int id = registry.register(topic + "-value", v1);

    GenericRecord old = new GenericData.Record(v1);
    old.put("command_id", "c1");
    old.put("platform_id", "p1");
    old.put("command_type", "CreateUser");
    old.put("outcome", new GenericData.EnumSymbol(v1.getField("outcome").schema(), "ACCEPTED"));
    old.put("user_id", "u1");
    old.put("rejection", null);
    old.put("decided_at", AT.toEpochMilli());
    var out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    var encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
    encoder.flush();

    CommandResult read =
        serdes.value(CommandResult.class).deserializer().deserialize(topic, out.toByteArray());

    assertEquals("u1", read.getUserId());
    assertNull(read.getUserVersion());
    assertFalse(read.getCreated());
  }

  @Test
  void refusesBytesThatAreNotTheWireFormat() {
    var deserializer = serdes.value(UserEvent.class).deserializer();
    var wrongMagic =
        assertThrows(
            SerializationException.class,
            () -> deserializer.deserialize("t", new byte[] {1, 0, 0, 0, 1, 2}));
    assertTrue(wrongMagic.getMessage().contains("magic byte"));
    var tooShort =
        assertThrows(
            SerializationException.class, () -> deserializer.deserialize("t", new byte[] {0, 0}));
    assertTrue(tooShort.getMessage().contains("2 bytes"));
    var unknownId =
        assertThrows(
            SerializationException.class,
            () -> deserializer.deserialize("t", new byte[] {0, 0x7f, 0, 0, 1, 2}));
    assertTrue(unknownId.getMessage().contains("schema id"));
  }

  @Test
  void refusesCorruptAvroAfterAValidHeader() {
    String topic = topic();
    byte[] bytes = serdes.value(UserEvent.class).serializer().serialize(topic, event());
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 10);
    var e =
        assertThrows(
            SerializationException.class,
            () -> serdes.value(UserEvent.class).deserializer().deserialize(topic, truncated));
    assertTrue(e.getMessage().contains("corrupt Avro"), e.getMessage());
  }

  @Test
  void nullIsATombstoneBothWays() {
    var serde = serdes.value(UserView.class);
    assertNull(serde.serializer().serialize("t", null));
    assertNull(serde.deserializer().deserialize("t", null));
  }

  @Test
  void aConfiguredSerdeClassThatIsNotASerdeIsAClearError() {
    var bad =
        new AvroSerdes(
            Map.of(
                RegistryAvroSerde.REGISTRY_URL,
                SharedRegistry.url(),
                AvroSerdes.VALUE_SERDE_CLASS,
                "java.lang.String"));
    var e = assertThrows(IllegalStateException.class, () -> bad.value(UserView.class));
    assertTrue(e.getMessage().contains("java.lang.String"));
  }

  @Test
  void bytesAreIdenticalForEqualRecords() {
    String topic = topic();
    var serializer = serdes.value(UserCommand.class).serializer();
    assertArrayEquals(
        serializer.serialize(topic, command()), serializer.serialize(topic, command()));
  }

  /** Wire-format bytes naming schema id 1, whatever the registry holds. */
  private static final byte[] ID_ONE = {0, 0, 0, 0, 1, 2};

  @Test
  void aRegistryThatCannotBeReachedIsATransientFault() {
    var down =
        new RegistryAvroSerde<UserEvent>(
            new SchemaRegistryClient(
                "http://127.0.0.1:" + Ports.freeLoopbackPort() + "/apis/ccompat/v7"),
            false);
    var read = assertThrows(TransientSerdeException.class, () -> down.deserialize("t", ID_ONE));
    assertTrue(read.getMessage().contains("schema id 1"), read.getMessage());
    var write = assertThrows(TransientSerdeException.class, () -> down.serialize("t", event()));
    assertTrue(write.getMessage().contains("cannot register"), write.getMessage());
  }

  @Test
  void aRegistryAnswering503IsATransientFault() throws Exception {
    var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    server.start();
    try {
      var unavailable =
          new RegistryAvroSerde<UserEvent>(
              new SchemaRegistryClient("http://127.0.0.1:" + server.getAddress().getPort()), false);
      assertThrows(TransientSerdeException.class, () -> unavailable.deserialize("t", ID_ONE));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anUnknownSchemaIdIsAPermanentFault() {
    var deserializer = serdes.value(UserEvent.class).deserializer();
    var e =
        assertThrows(
            SerializationException.class,
            () -> deserializer.deserialize("t", new byte[] {0, 0x7f, 0, 0, 2, 2}));
    assertFalse(TransientSerdeException.isTransient(e), e.toString());
    assertTrue(e.getMessage().contains("404"), e.getMessage());
  }
}
