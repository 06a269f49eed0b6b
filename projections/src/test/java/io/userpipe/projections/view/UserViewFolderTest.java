package io.userpipe.projections.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.userpipe.schemas.PhoneNumber;
import io.userpipe.schemas.PlatformConnected;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserViewFolderTest {

  private static final Instant T1 = Instant.parse("2026-11-24T12:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-24T12:05:00Z");

  private static UserEvent event(long version, String platform, Instant at, Object payload) {
    return UserEvent.newBuilder()
        .setEventId("e" + version)
        .setUserId("u1")
        .setVersion(version)
        .setOccurredAt(at)
        .setPlatformId(platform)
        .setPayload(payload)
        .build();
  }

  private static UserEvent created() {
    return event(
        1,
        "p1",
        T1,
        UserCreated.newBuilder()
            .setFirstName("Ada")
            .setLastName("Lovelace")
            .setEmail("ada@example.com")
            .setPhone(new PhoneNumber("1", "2025550173", "+12025550173"))
            .setMetadata(Map.of("k", "v"))
            .build());
  }

  @Test
  void aCreationMakesAnUnverifiedUserConnectedToItsPlatform() {
    UserView view = UserViewFolder.fold(null, created());
    assertEquals("u1", view.getId());
    assertEquals("unverified", view.getStatus());
    assertEquals(List.of("p1"), view.getPlatforms());
    assertEquals(T1, view.getCreated());
    assertEquals(T1, view.getUpdated());
    assertEquals("v", view.getMetadata().get("k"));
  }

  @Test
  void aConnectionAddsThePlatformAndTouchesUpdated() {
    UserView view = UserViewFolder.fold(null, created());
    UserView after = UserViewFolder.fold(view, event(2, "p2", T2, new PlatformConnected()));
    assertEquals(List.of("p1", "p2"), after.getPlatforms());
    assertEquals(2, after.getVersion());
    assertEquals(T1, after.getCreated());
    assertEquals(T2, after.getUpdated());
  }

  @Test
  void anEventAlreadyFoldedInChangesNothing() {
    UserView view = UserViewFolder.fold(null, created());
    UserView after = UserViewFolder.fold(view, event(2, "p2", T2, new PlatformConnected()));
    assertSame(after, UserViewFolder.fold(after, event(2, "p2", T2, new PlatformConnected())));
    assertSame(after, UserViewFolder.fold(after, created()));
  }

  @Test
  void anEventBeforeTheCreationFoldsIntoNothing() {
    assertNull(UserViewFolder.fold(null, event(2, "p2", T2, new PlatformConnected())));
  }

  @Test
  void replayingTheSameEventsBuildsTheSameView() {
    var events = List.of(created(), event(2, "p2", T2, new PlatformConnected()));
    UserView first = null;
    UserView second = null;
    for (UserEvent e : events) {
      first = UserViewFolder.fold(first, e);
    }
    for (UserEvent e : events) {
      second = UserViewFolder.fold(second, e);
    }
    assertEquals(first, second);
  }
}
