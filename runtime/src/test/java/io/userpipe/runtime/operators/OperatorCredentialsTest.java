package io.userpipe.runtime.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.crypto.SaltedSecrets;
import io.userpipe.schemas.OperatorChange;
import io.userpipe.schemas.OperatorCredential;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The operators' credential store: given the changes so far, when one more, then who signs in. */
class OperatorCredentialsTest {
  private static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");

  private final OperatorCredentials store = new OperatorCredentials();

  /** As the CLI does: decide against the store, then apply the record as read back. */
  private void publish(OperatorCredential record) {
    store.apply(record.getOperatorId(), record);
  }

  @Test
  void anAddedOperatorSignsInWithItsSecretOnly() {
    publish(store.add("alice", "s3cret-alice", T0, "ops"));

    assertTrue(store.authenticate("alice", "s3cret-alice"));
    assertFalse(store.authenticate("alice", "s3cret-alicE"));
    assertFalse(store.authenticate("alice", ""));
    assertFalse(store.authenticate("bob", "s3cret-alice"), "an unknown id");
  }

  @Test
  void onlyASaltedHashOfTheSecretIsKept() {
    OperatorCredential alice = store.add("alice", "same-secret", T0, "ops");
    OperatorCredential bob = store.add("bob", "same-secret", T0, "ops");

    String stored = new String(alice.getSecretHash().array(), StandardCharsets.ISO_8859_1);
    assertFalse(alice.toString().contains("same-secret"), "no secret in the record");
    assertFalse(stored.contains("same-secret"));
    assertNotEquals(alice.getSecretHash(), bob.getSecretHash(), "salted: equal secrets differ");
    assertEquals(SaltedSecrets.SCHEME, alice.getHashScheme());
    assertEquals("ops", alice.getChangedBy());
  }

  @Test
  void aRotatedSecretReplacesTheOldOne() {
    publish(store.add("alice", "first", T0, "ops"));

    publish(store.rotate("alice", "second", T0.plusSeconds(60), "ops"));

    assertFalse(store.authenticate("alice", "first"), "the old secret is refused after rotation");
    assertTrue(store.authenticate("alice", "second"));
    assertEquals(OperatorChange.ROTATED, store.find("alice").orElseThrow().getChange());
  }

  @Test
  void aChangeTakesEffectOnlyOnceApplied() {
    publish(store.add("alice", "first", T0, "ops"));

    OperatorCredential rotation = store.rotate("alice", "second", T0, "ops");

    assertTrue(store.authenticate("alice", "first"), "not read back from the topic yet");
    store.apply("alice", rotation);
    assertFalse(store.authenticate("alice", "first"));
  }

  @Test
  void aRetiredOperatorCannotSignInNorBeRotatedNorComeBack() {
    publish(store.add("alice", "first", T0, "ops"));

    publish(store.retire("alice", T0.plusSeconds(60), "ops"));

    assertFalse(store.authenticate("alice", "first"));
    OperatorCredential retired = store.find("alice").orElseThrow();
    assertEquals(OperatorChange.RETIRED, retired.getChange());
    assertNull(retired.getSecretHash(), "a retired credential holds no hash");
    assertThrows(IllegalArgumentException.class, () -> store.rotate("alice", "x", T0, "ops"));
    assertThrows(IllegalArgumentException.class, () -> store.retire("alice", T0, "ops"));
    var reuse =
        assertThrows(IllegalArgumentException.class, () -> store.add("alice", "x", T0, "ops"));
    assertTrue(reuse.getMessage().contains("never reused"), reuse.getMessage());
    assertEquals(1, store.all().size(), "list still shows the retired operator");
  }

  @Test
  void unknownOperatorsCannotBeRotatedOrRetiredAndIdsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> store.rotate("ghost", "x", T0, "ops"));
    assertThrows(IllegalArgumentException.class, () -> store.retire("ghost", T0, "ops"));
    assertThrows(IllegalArgumentException.class, () -> store.add("Al:ice", "x", T0, "ops"));
    assertThrows(IllegalArgumentException.class, () -> store.add("", "x", T0, "ops"));
    assertThrows(IllegalArgumentException.class, () -> store.add("alice", "", T0, "ops"));
    publish(store.add("alice@ops.example", "x", T0, "ops"));
    assertTrue(store.authenticate("alice@ops.example", "x"));
  }

  @Test
  void aTombstoneForgetsTheOperator() {
    publish(store.add("alice", "first", T0, "ops"));

    store.apply("alice", null);

    assertFalse(store.authenticate("alice", "first"));
    assertTrue(store.find("alice").isEmpty());
  }
}
