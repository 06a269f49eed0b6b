package io.userpipe.projections.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.ComplianceView;
import io.userpipe.schemas.Connection;
import io.userpipe.schemas.ConnectionConfirmed;
import io.userpipe.schemas.ConnectionRequested;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.MetadataChanged;
import io.userpipe.schemas.PlatformConnected;
import io.userpipe.schemas.PlatformDisconnected;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserDeleted;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserUpdated;
import io.userpipe.schemas.UserView;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Connections in the view: a platform that asks is pending with its own sealed data, confirmed it
 * is connected, a platform that leaves is gone from the view and its index; views and logs written
 * before connections fold as connected platforms with the creator's metadata inside the profile.
 */
class ConnectionsFoldTest {

  private static final Instant T1 = Instant.parse("2026-11-24T12:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-24T12:05:00Z");

  private static EncryptedValue sealed(int marker) {
    return new EncryptedValue(
        "user:u1", ByteBuffer.wrap(new byte[12]), ByteBuffer.wrap(new byte[] {(byte) marker}));
  }

  private static final EncryptedValue PROFILE = sealed(1);
  private static final EncryptedValue B_DATA = sealed(9);

  private long version = 0;

  private UserEvent event(String platform, Object payload) {
    version++;
    return UserEvent.newBuilder()
        .setEventId("e" + version)
        .setUserId("u1")
        .setVersion(version)
        .setOccurredAt(version == 1 ? T1 : T2)
        .setPlatformId(platform)
        .setPayload(payload)
        .build();
  }

  private UserView fold(UserView view, String platform, Object payload) {
    return UserViewFolder.fold(view, event(platform, payload));
  }

  private static Connection connection(UserView view, String platform) {
    return Connections.of(view, platform).orElseThrow();
  }

  @Test
  void aPlatformThatAsksIsPendingWithItsOwnDataUntilConfirmed() {
    UserView view = fold(null, "A", new UserCreated(PROFILE));
    UserView pending =
        fold(view, "B", new ConnectionRequested(List.of("email", "first_name"), B_DATA));
    assertEquals(List.of("A", "B"), pending.getPlatforms(), "listed for B, as pending");
    assertEquals(Connections.PENDING, connection(pending, "B").getStatus());
    assertEquals(B_DATA, connection(pending, "B").getData());
    assertEquals(T2, connection(pending, "B").getSince());
    assertEquals(PROFILE, pending.getProfile(), "the person's profile is untouched");
    assertEquals(PROFILE, connection(pending, "A").getMetadataProfile());

    UserView confirmed = fold(pending, "B", new ConnectionConfirmed());
    assertEquals(Connections.CONNECTED, connection(confirmed, "B").getStatus());
  }

  @Test
  void aPlatformIsConnectedForComplianceOnlyOnceThePersonConfirmed() {
    UserView view = fold(null, "A", new UserCreated(PROFILE));
    UserView pending = fold(view, "B", new ConnectionRequested(List.of("email"), B_DATA));
    var cause = new ComplianceEvents.Cause("e", T2, "B", null, Map.of());
    assertTrue(ComplianceEvents.between(view, pending, cause).isEmpty());
    UserView confirmed = fold(pending, "B", new ConnectionConfirmed());
    assertEquals(
        List.of(ComplianceEvents.USER_CONNECTED),
        ComplianceEvents.between(pending, confirmed, cause).stream()
            .map(ComplianceEvent::getType)
            .toList());
    UserView left = fold(confirmed, "B", new PlatformDisconnected());
    assertEquals(
        List.of(ComplianceEvents.USER_DISCONNECTED),
        ComplianceEvents.between(confirmed, left, cause).stream()
            .map(ComplianceEvent::getType)
            .toList());
  }

  @Test
  void aPlatformThatLeavesIsGoneAndTheOthersKeepTheUser() {
    UserView view = fold(null, "A", new UserCreated(PROFILE));
    view = fold(view, "B", new ConnectionRequested(List.of("email"), B_DATA));
    view = fold(view, "B", new ConnectionConfirmed());
    UserView left = fold(view, "B", new PlatformDisconnected());
    assertEquals(List.of("A"), left.getPlatforms());
    assertTrue(Connections.of(left, "B").isEmpty());
    assertFalse(left.getDeleted());
    assertEquals(PROFILE, left.getProfile());
  }

  @Test
  void metadataChangesOnlyThePlatformsOwnConnection() {
    UserView view = fold(null, "A", new UserCreated(PROFILE));
    view = fold(view, "B", new ConnectionRequested(List.of("email"), B_DATA));
    view = fold(view, "B", new ConnectionConfirmed());
    EncryptedValue newData = sealed(10);
    UserView after = fold(view, "B", new MetadataChanged(newData));
    assertEquals(newData, connection(after, "B").getData());
    assertEquals(PROFILE, connection(after, "A").getMetadataProfile());
    assertNull(connection(after, "A").getData());
  }

  @Test
  void anUpdateOfTheNewShapeKeepsTheCreatorsMetadataWhereItWas() {
    UserView view = fold(null, "A", new UserCreated(PROFILE));
    EncryptedValue shared = sealed(2);
    UserView after = fold(view, "A", new UserUpdated(shared, List.of("email")));
    assertEquals(shared, after.getProfile());
    assertEquals(PROFILE, connection(after, "A").getMetadataProfile());
  }

  @Test
  void aLogWrittenBeforeConnectionsFoldsIntoConnectedPlatformsWithTheCreatorsMetadata() {
    UserView view = fold(null, "A", new UserCreated(PROFILE));
    view = fold(view, "B", new PlatformConnected());
    EncryptedValue oldUpdate = sealed(3);
    view = fold(view, "B", new UserUpdated(oldUpdate, null));
    assertEquals(Connections.CONNECTED, connection(view, "B").getStatus());
    assertNull(connection(view, "B").getMetadataProfile());
    assertEquals(
        oldUpdate,
        connection(view, "A").getMetadataProfile(),
        "an old update's metadata was the creator's");
    assertEquals(2, Connections.connected(view));
  }

  @Test
  void aViewStoredBeforeConnectionsHasItsPlatformsConnectedAndTheCreatorsMetadataInItsProfile() {
    UserView old =
        UserView.newBuilder()
            .setId("u1")
            .setVersion(2)
            .setPlatforms(List.of("A", "B"))
            .setProfile(PROFILE)
            .setStatus("unverified")
            .setCompliance(ComplianceView.newBuilder().build())
            .setCreated(T1)
            .setUpdated(T1)
            .build();
    assertEquals(2, Connections.connected(old));
    assertEquals(PROFILE, connection(old, "A").getMetadataProfile());
    assertNull(connection(old, "B").getMetadataProfile());

    version = 2;
    UserView asked = fold(old, "C", new ConnectionRequested(List.of("email"), B_DATA));
    assertEquals(List.of("A", "B", "C"), asked.getPlatforms());
    assertEquals(Connections.CONNECTED, asked.getConnections().get(1).getStatus());
    assertEquals(Connections.PENDING, asked.getConnections().get(2).getStatus());
  }

  @Test
  void aDeletionDropsEveryConnectionAndItsSealedData() {
    UserView view = fold(null, "A", new UserCreated(PROFILE));
    view = fold(view, "B", new ConnectionRequested(List.of("email"), B_DATA));
    UserView deleted = fold(view, "A", new UserDeleted());
    assertTrue(deleted.getDeleted());
    assertTrue(deleted.getConnections().isEmpty());
    assertTrue(deleted.getPlatforms().isEmpty());
  }
}
