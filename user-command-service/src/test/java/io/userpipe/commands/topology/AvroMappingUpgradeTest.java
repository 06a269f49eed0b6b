package io.userpipe.commands.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.commands.domain.Connection;
import io.userpipe.commands.domain.Phone;
import io.userpipe.commands.domain.Profile;
import io.userpipe.commands.domain.User;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.schemas.PhoneNumber;
import io.userpipe.schemas.UserAggregate;
import io.userpipe.schemas.UserProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A state stored by the version before connections (a platforms list, the creator's metadata inside
 * the profile) still opens, as connections that see every field; and the new shape round-trips.
 */
class AvroMappingUpgradeTest {

  private static final Instant CREATED = Instant.parse("2026-11-01T09:00:00Z");

  private final Sealing sealing =
      new Sealing(
          DataKeys.parse(DataKeys.generateEntry("k1"), null),
          DataKeys.parseEdge(DataKeys.generateEntry("e1"), null));
  private final AvroMapping mapping = new AvroMapping(sealing);

  private static UserProfile oldProfile() {
    return UserProfile.newBuilder()
        .setFirstName("Ada")
        .setLastName("Lovelace")
        .setEmail("ada@example.com")
        .setPhone(new PhoneNumber("1", "2025550173", "+12025550173"))
        .setMetadata(Map.of("note", "A-only"))
        .build();
  }

  private UserAggregate oldShape() {
    var key = sealing.newUserKey("u1");
    return UserAggregate.newBuilder()
        .setId("u1")
        .setVersion(2)
        .setPlatforms(List.of("A", "B"))
        .setWrappedKey(key)
        .setProfile(sealing.sealProfile(key, "u1", oldProfile()))
        .setCreated(CREATED)
        .build();
  }

  @Test
  void everyPlatformOfAnOldStateIsConnectedAndSeesEveryFieldAndTheCreatorKeepsItsMetadata() {
    User user = mapping.toDomain(oldShape());
    assertEquals(List.of("A", "B"), List.copyOf(user.connections().keySet()));
    Connection a = user.connection("A").orElseThrow();
    Connection b = user.connection("B").orElseThrow();
    assertTrue(user.isConnectedTo("A") && user.isConnectedTo("B"));
    assertEquals(Profile.ALL_FIELDS, a.fieldsSent());
    assertEquals(Profile.ALL_FIELDS, b.fieldsSent());
    assertEquals(Map.of("note", "A-only"), a.metadata());
    assertEquals(Map.of(), b.metadata());
    assertEquals("ada@example.com", user.profile().email());
    assertNull(user.pendingCode());
  }

  @Test
  void theNewShapeRoundTripsConnectionsTheirMetadataAndWhatAPendingPlatformSent() {
    User old = mapping.toDomain(oldShape());
    var sent =
        new Profile(
            "Augusta",
            "King",
            "b@example.com",
            new Phone("1", "2025550173", "+12025550173"),
            null,
            null);
    var connections = new java.util.LinkedHashMap<>(old.connections());
    connections.put(
        "C",
        new Connection(
            Connection.Status.PENDING, sent.fieldsGiven(), Map.of("c", "own"), sent, CREATED));
    User user =
        new User(
            old.id(),
            old.version(),
            connections,
            old.profile(),
            false,
            false,
            true,
            null,
            List.of(),
            CREATED,
            List.of(),
            null);
    UserAggregate stored = mapping.toAvro(user, oldShape().getWrappedKey());
    assertEquals(List.of("A", "B", "C"), stored.getPlatforms());
    User back = mapping.toDomain(stored);
    assertEquals(user.connections(), back.connections());
    assertEquals(
        Set.of("first_name", "last_name", "email", "phone_number"),
        back.connection("C").orElseThrow().fieldsSent());
    assertTrue(back.erasureHeld());
    assertEquals(user.profile(), back.profile());
  }
}
