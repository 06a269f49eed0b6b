package io.userpipe.projections.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.schemas.ComplianceView;
import io.userpipe.schemas.UserView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformIndexTest {

  private static UserView created(String id, Instant at) {
    return UserView.newBuilder()
        .setId(id)
        .setVersion(1)
        .setPlatforms(List.of("p1"))
        .setStatus("unverified")
        .setCreated(at)
        .setUpdated(at)
        .setDeleted(false)
        .setCompliance(ComplianceView.newBuilder().build())
        .build();
  }

  @Test
  void keysSortNewestUserFirstWithinAPlatform() {
    String older = PlatformIndex.key("p1", created("u-old", Instant.parse("2026-01-01T00:00:00Z")));
    String newer = PlatformIndex.key("p1", created("u-new", Instant.parse("2026-11-24T12:00:00Z")));
    String first = PlatformIndex.key("p1", created("u-epoch", Instant.EPOCH));

    assertTrue(newer.compareTo(older) < 0);
    assertTrue(older.compareTo(first) < 0);
    assertTrue(first.compareTo(PlatformIndex.end("p1")) < 0);
    assertTrue(newer.startsWith(PlatformIndex.prefix("p1")));
  }

  @Test
  void aKeyHoldsTheInvertedCreationTimeInNineteenDigitsAndTheUserId() {
    var at = Instant.parse("2026-11-24T12:00:00Z");
    String key = PlatformIndex.key("p1", created("u1", at));

    assertEquals("p1|" + String.format("%019d", Long.MAX_VALUE - at.toEpochMilli()) + "|u1", key);
    assertEquals("u1", PlatformIndex.userId(key));
  }
}
