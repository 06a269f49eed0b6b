package io.userpipe.commands.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.commands.domain.Command;
import io.userpipe.commands.domain.Connection;
import io.userpipe.commands.domain.Phone;
import io.userpipe.commands.domain.Profile;
import io.userpipe.commands.domain.User;
import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.PhoneNumber;
import io.userpipe.schemas.UserAggregate;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.UserProfile;
import io.userpipe.schemas.VerifyUser;
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

  private final DataKeys dataKeys = DataKeys.parse(DataKeys.generateEntry("k1"), null);
  private final DataKeys edgeKeys = DataKeys.parseEdge(DataKeys.generateEntry("e1"), null);
  private final Sealing sealing = new Sealing(dataKeys, edgeKeys);
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

  private static UserCommand verify(String commandId, EncryptedValue code) {
    return UserCommand.newBuilder()
        .setCommandId(commandId)
        .setPlatformId("A")
        .setIssuedAt(CREATED)
        .setUserId("u1")
        .setPayload(new VerifyUser(code))
        .build();
  }

  /**
   * A command on users.commands at the upgrade, its code sealed by the previous edge under the data
   * keys, still opens; what the edge seals now is under the edge keys; a key of neither set does
   * not open (the decider refuses the code as malformed).
   */
  @Test
  void aCodeSealedUnderTheDataKeysBeforeTheEdgeKeysStillOpens() {
    var before = new CommandSecrets(dataKeys).sealCode("cmd-1", "123456");
    assertEquals(
        new Command.VerifyUser("123456"),
        mapping.toDomain(verify("cmd-1", before)).orElseThrow().command());
    var now = new CommandSecrets(edgeKeys).sealCode("cmd-2", "654321");
    assertEquals("e1", now.getKeyId());
    assertEquals(
        new Command.VerifyUser("654321"),
        mapping.toDomain(verify("cmd-2", now)).orElseThrow().command());
    var foreign =
        new CommandSecrets(DataKeys.parse(DataKeys.generateEntry("x1"), null))
            .sealCode("cmd-3", "111111");
    assertEquals(
        new Command.VerifyUser(null),
        mapping.toDomain(verify("cmd-3", foreign)).orElseThrow().command());
  }
}
