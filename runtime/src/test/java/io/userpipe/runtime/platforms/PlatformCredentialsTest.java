package io.userpipe.runtime.platforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.schemas.PlatformChange;
import io.userpipe.schemas.PlatformCredential;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The platforms' keys: given the changes so far, when one more, then which key opens the door. */
class PlatformCredentialsTest {
  private static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");
  private static final String KEY_1 = "k1-" + "a".repeat(40);
  private static final String KEY_2 = "k2-" + "b".repeat(40);
  private static final String KEY_3 = "k3-" + "c".repeat(40);

  private final PlatformCredentials store = new PlatformCredentials();

  /** As the CLI does: decide against the store, then apply the record as read back. */
  private void publish(PlatformCredential record) {
    store.apply(record.getPlatformId(), record);
  }

  private Optional<String> signIn(String clientId, String key, Instant at) {
    return store.authenticate(clientId, key, at);
  }

  @Test
  void anAddedPlatformSignsInWithItsClientIdAndKeyOnly() {
    publish(store.add("acme", "acme-client", KEY_1, T0, "ops"));

    assertEquals(Optional.of("acme"), signIn("acme-client", KEY_1, T0));
    assertEquals(
        Optional.empty(), signIn("acme", KEY_1, T0), "the platform id is not the client id");
    assertEquals(Optional.empty(), signIn("acme-client", KEY_2, T0));
    assertEquals(Optional.empty(), signIn("other", KEY_1, T0), "an unknown client id");
    assertFalse(
        store.find("acme").orElseThrow().toString().contains(KEY_1), "no key in the record");
  }

  @Test
  void duringARotationsGraceBothKeysWorkAndAfterItOnlyTheNewOne() {
    publish(store.add("acme", "acme-client", KEY_1, T0, "ops"));

    publish(store.rotate("acme", KEY_2, Duration.ofHours(1), T0.plusSeconds(60), "ops"));

    Instant during = T0.plus(Duration.ofMinutes(30));
    assertEquals(Optional.of("acme"), signIn("acme-client", KEY_1, during), "old key in grace");
    assertEquals(Optional.of("acme"), signIn("acme-client", KEY_2, during), "new key");
    Instant after = T0.plusSeconds(60).plus(Duration.ofHours(1));
    assertEquals(Optional.empty(), signIn("acme-client", KEY_1, after), "old key after grace");
    assertEquals(Optional.of("acme"), signIn("acme-client", KEY_2, after));
    assertEquals(PlatformChange.KEY_ROTATED, store.find("acme").orElseThrow().getChange());
  }

  @Test
  void aRotationWithoutGraceOrAnEndedGraceStopsTheOldKeyAtOnce() {
    publish(store.add("acme", "acme-client", KEY_1, T0, "ops"));
    publish(store.rotate("acme", KEY_2, Duration.ZERO, T0, "ops"));
    assertEquals(Optional.empty(), signIn("acme-client", KEY_1, T0));

    publish(store.rotate("acme", KEY_3, Duration.ofDays(1), T0, "ops"));
    assertEquals(Optional.of("acme"), signIn("acme-client", KEY_2, T0));
    publish(store.endGrace("acme", T0.plusSeconds(1), "ops"));

    assertEquals(Optional.empty(), signIn("acme-client", KEY_2, T0.plusSeconds(2)));
    assertEquals(Optional.of("acme"), signIn("acme-client", KEY_3, T0.plusSeconds(2)));
    assertEquals(1, store.find("acme").orElseThrow().getKeys().size());
  }

  @Test
  void expiredKeysAreDroppedAtTheNextRotation() {
    publish(store.add("acme", "acme-client", KEY_1, T0, "ops"));
    publish(store.rotate("acme", KEY_2, Duration.ofHours(1), T0, "ops"));

    publish(store.rotate("acme", KEY_3, Duration.ofHours(1), T0.plus(Duration.ofHours(2)), "ops"));

    assertEquals(2, store.find("acme").orElseThrow().getKeys().size(), "KEY_1 is gone");
  }

  @Test
  void aRetiredPlatformSignsInWithNoKeyAndItsIdsAreNotGivenAgain() {
    publish(store.add("acme", "acme-client", KEY_1, T0, "ops"));

    publish(store.retire("acme", T0, "ops"));

    assertEquals(Optional.empty(), signIn("acme-client", KEY_1, T0));
    assertThrows(IllegalArgumentException.class, () -> store.add("acme", "x", KEY_2, T0, "ops"));
    assertThrows(
        IllegalArgumentException.class, () -> store.add("acme2", "acme-client", KEY_2, T0, "ops"));
    assertThrows(
        IllegalArgumentException.class,
        () -> store.rotate("acme", KEY_2, Duration.ZERO, T0, "ops"));
  }

  @Test
  void changesAreRefusedWhenMalformed() {
    assertThrows(IllegalArgumentException.class, () -> store.add("a:b", "c", KEY_1, T0, "ops"));
    assertThrows(IllegalArgumentException.class, () -> store.add("a", "c d", KEY_1, T0, "ops"));
    assertThrows(IllegalArgumentException.class, () -> store.add("a", "c", "short", T0, "ops"));
    assertThrows(
        IllegalArgumentException.class,
        () -> store.rotate("nobody", KEY_1, Duration.ZERO, T0, "ops"));
    publish(store.add("acme", "acme-client", KEY_1, T0, "ops"));
    assertThrows(
        IllegalArgumentException.class,
        () -> store.rotate("acme", KEY_2, Duration.ofDays(31), T0, "ops"),
        "grace over 30 days");
    assertThrows(
        IllegalArgumentException.class,
        () -> store.rotate("acme", KEY_2, Duration.ofSeconds(-1), T0, "ops"));
  }

  @Test
  void aSeedAddsOnlyAPlatformTheTopicDoesNotKnow() {
    byte[] hash = PlatformCredentials.sha256("demo-secret");
    PlatformCredential seeded =
        store.seed("demo-platform", "demo", hash, T0, "seed:test").orElseThrow();
    publish(seeded);
    assertEquals(Optional.of("demo-platform"), signIn("demo", "demo-secret", T0));
    assertTrue(PlatformCredentials.hasSeededKey(seeded, hash));

    publish(store.rotate("demo-platform", KEY_2, Duration.ZERO, T0, "ops"));

    assertEquals(Optional.empty(), store.seed("demo-platform", "demo", hash, T0, "seed:test"));
    assertEquals(Optional.empty(), signIn("demo", "demo-secret", T0), "the topic wins");
    assertEquals(
        Optional.empty(),
        store.seed("other-platform", "demo", hash, T0, "seed:test"),
        "another platform's client id");
  }

  @Test
  void aTombstoneForgetsThePlatformAndItsClientId() {
    publish(store.add("acme", "acme-client", KEY_1, T0, "ops"));

    store.apply("acme", null);

    assertEquals(Optional.empty(), signIn("acme-client", KEY_1, T0));
    assertFalse(store.holdsClientId("acme-client"));
  }
}
