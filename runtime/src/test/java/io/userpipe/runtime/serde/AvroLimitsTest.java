package io.userpipe.runtime.serde;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.UserCommand;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** A few bytes cannot make the decoder allocate without bound: the limits hold and are named. */
class AvroLimitsTest {

  private final AvroSerdes serdes = new AvroSerdes(SharedRegistry.url());

  private static UserCommand command(String firstName, Map<String, String> metadata) {
    return UserCommand.newBuilder()
        .setCommandId("c1")
        .setPlatformId("p1")
        .setIssuedAt(Instant.parse("2026-12-02T12:00:00Z"))
        .setPayload(
            new CreateUser(
                firstName, "Lovelace", "ada@example.com", "1", "2025550173", null, null, metadata))
        .build();
  }

  private SerializationException decodeFails(UserCommand command) {
    String topic = "limits-" + UUID.randomUUID();
    byte[] bytes = serdes.value(UserCommand.class).serializer().serialize(topic, command);
    return assertThrows(
        SerializationException.class,
        () -> serdes.value(UserCommand.class).deserializer().deserialize(topic, bytes));
  }

  @Test
  void aMapOverTheItemLimitIsRefusedNamingTheLimit() {
    var metadata = new HashMap<String, String>();
    for (int i = 0; i <= AvroLimits.MAX_COLLECTION_ITEMS; i++) {
      metadata.put(Integer.toString(i), "");
    }
    var e = decodeFails(command("Ada", metadata));
    assertTrue(
        e.getMessage().contains("Collection length 100001 exceeds the maximum allowed of 100000"),
        e.getMessage());
  }

  @Test
  void aStringOverTheFieldLimitIsRefusedNamingTheLimit() {
    var e = decodeFails(command("A".repeat((int) AvroLimits.MAX_FIELD_BYTES + 1), Map.of()));
    assertTrue(
        e.getMessage().contains("String length 1048577 exceeds maximum allowed"), e.getMessage());
  }
}
