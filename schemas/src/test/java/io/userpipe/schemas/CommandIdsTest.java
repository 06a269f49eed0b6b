package io.userpipe.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CommandIdsTest {

  @Test
  void anIdempotencyKeysCommandIdNeverChanges() {
    // a retry across versions must land on the id its first attempt had
    assertEquals(
        UUID.nameUUIDFromBytes("idempotency:tenant-a:a-create".getBytes(StandardCharsets.UTF_8))
            .toString(),
        CommandIds.fromIdempotencyKey("tenant-a", "a-create"));
  }

  @Test
  void oneKeyIsOneCommandPerPlatform() {
    assertEquals(
        CommandIds.fromIdempotencyKey("acme", "k"), CommandIds.fromIdempotencyKey("acme", "k"));
    assertNotEquals(
        CommandIds.fromIdempotencyKey("acme", "k"), CommandIds.fromIdempotencyKey("globex", "k"));
  }

  @Test
  void refusesAnEmptyOrOverlongKey() {
    assertThrows(IllegalArgumentException.class, () -> CommandIds.fromIdempotencyKey("acme", ""));
    assertThrows(IllegalArgumentException.class, () -> CommandIds.fromIdempotencyKey("acme", null));
    assertThrows(
        IllegalArgumentException.class,
        () -> CommandIds.fromIdempotencyKey("acme", "x".repeat(256)));
    assertEquals(36, CommandIds.fromIdempotencyKey("acme", "x".repeat(255)).length());
  }
}
