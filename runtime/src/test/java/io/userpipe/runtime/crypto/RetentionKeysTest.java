package io.userpipe.runtime.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.schemas.DecisionSubject;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.RetentionKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionKeysTest {

  private static final Instant DEC_3 = Instant.parse("2026-12-03T01:00:00Z");
  private static final DecisionSubject ADA =
      DecisionSubject.newBuilder()
          .setName("Ada Lovelace")
          .setTinType("ssn")
          .setTinLastFour("8765")
          .build();

  private final DataKeys dataKeys = DataKeys.parse(DataKeys.generateEntry("k1"), null);
  private final List<RetentionKey> published = new ArrayList<>();
  private final MutableClock clock = new MutableClock(DEC_3);
  private final RetentionKeys ring =
      new RetentionKeys(dataKeys, RetentionPolicy.DEFAULT, clock, published::add);

  @Test
  void theRetentionIsFiveYearsUnlessSaidAndTakesPeriodsDurationsOrYears() {
    assertEquals(Period.ofYears(5), RetentionPolicy.DEFAULT.retention());
    assertEquals(Period.ofYears(7), RetentionPolicy.parse("7").retention());
    assertEquals(Period.ofYears(5), RetentionPolicy.parse("P5Y").retention());
    assertEquals(Period.ofDays(90), RetentionPolicy.parse("P90D").retention());
    assertEquals(Duration.ofMinutes(1), RetentionPolicy.parse("PT1M").retention());
    assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.parse("five years"));
  }

  @Test
  void aPeriodIsShreddedOnceItsMonthAndTheRetentionHavePassed() {
    var policy = RetentionPolicy.DEFAULT;
    assertEquals(YearMonth.of(2026, 12), RetentionPolicy.periodOf(DEC_3));
    assertEquals(Instant.parse("2032-01-01T00:00:00Z"), policy.expiresAt(YearMonth.of(2026, 12)));
    assertFalse(policy.expired(YearMonth.of(2026, 12), Instant.parse("2031-12-31T23:59:59Z")));
    assertTrue(policy.expired(YearMonth.of(2026, 12), Instant.parse("2032-01-01T00:00:00Z")));
  }

  @Test
  void oneKeyPerMonthPublishedBeforeItSealsAnything() {
    EncryptedValue first = ring.seal("u1", ADA);
    assertEquals(1, published.size());
    RetentionKey key = published.get(0);
    assertEquals("2026-12", key.getPeriod());
    assertTrue(key.getKeyId().startsWith("retention:2026-12:"), key.getKeyId());
    assertEquals(key.getKeyId(), first.getKeyId());

    ring.seal("u2", ADA);
    assertEquals(1, published.size(), "the month's key is reused");

    clock.set(Instant.parse("2027-01-01T00:00:00Z"));
    EncryptedValue january = ring.seal("u1", ADA);
    assertEquals(2, published.size());
    assertEquals("2027-01", published.get(1).getPeriod());
    assertEquals(published.get(1).getKeyId(), january.getKeyId());
  }

  @Test
  void aSealedSubjectOpensForItsUserOnlyAndNeverWithoutItsKey() {
    EncryptedValue sealed = ring.seal("u1", ADA);
    assertEquals(ADA, ring.open("u1", sealed).orElseThrow());
    assertThrows(DataKeys.CryptoException.class, () -> ring.open("u2", sealed));

    // another service's ring, learning the key from the topic, opens it too
    var other = new RetentionKeys(dataKeys, RetentionPolicy.DEFAULT, clock, k -> {});
    assertTrue(other.open("u1", sealed).isEmpty(), "no key yet");
    published.forEach(k -> other.apply(k.getKeyId(), k));
    assertEquals(ADA, other.open("u1", sealed).orElseThrow());

    other.apply(sealed.getKeyId(), null); // the tombstone
    assertTrue(other.open("u1", sealed).isEmpty());
  }

  @Test
  void twoInstancesThatEachMakeAMonthsKeyDoNotConflict() {
    var published2 = new ArrayList<RetentionKey>();
    var other = new RetentionKeys(dataKeys, RetentionPolicy.DEFAULT, clock, published2::add);
    EncryptedValue mine = ring.seal("u1", ADA);
    EncryptedValue theirs = other.seal("u1", ADA);
    assertNotEquals(mine.getKeyId(), theirs.getKeyId());
    // each learns the other's key from the topic, and both values open everywhere
    published2.forEach(k -> ring.apply(k.getKeyId(), k));
    published.forEach(k -> other.apply(k.getKeyId(), k));
    assertEquals(ADA, ring.open("u1", theirs).orElseThrow());
    assertEquals(ADA, other.open("u1", mine).orElseThrow());
  }

  @Test
  void aMonthsKeyThisRingCannotUnwrapIsPassedOverForOneOfItsOwn() {
    // another deployment's key (a data key this ring does not have), with a smaller id
    var foreignKeys = DataKeys.parse(DataKeys.generateEntry("k1"), null);
    var foreign = new ArrayList<RetentionKey>();
    new RetentionKeys(foreignKeys, RetentionPolicy.DEFAULT, clock, foreign::add).seal("u1", ADA);
    var k = foreign.get(0);
    ring.apply(
        "retention:2026-12:0",
        new RetentionKey(
            "retention:2026-12:0", k.getPeriod(), k.getWrappedKey(), k.getCreatedAt()));

    EncryptedValue sealed = ring.seal("u1", ADA);
    assertNotEquals("retention:2026-12:0", sealed.getKeyId());
    assertEquals(1, published.size());
    assertEquals(ADA, ring.open("u1", sealed).orElseThrow());
  }

  @Test
  void aKeyPastItsRetentionIsDueForShreddingAndNoLongerOpens() {
    EncryptedValue sealed = ring.seal("u1", ADA);
    assertEquals(List.of(), ring.expiredKeyIds());
    clock.set(Instant.parse("2031-12-31T23:59:59Z"));
    assertEquals(List.of(), ring.expiredKeyIds());
    assertTrue(ring.open("u1", sealed).isPresent());

    clock.set(Instant.parse("2032-01-01T00:00:00Z"));
    assertEquals(List.of(sealed.getKeyId()), ring.expiredKeyIds());
    assertTrue(ring.open("u1", sealed).isEmpty(), "expired, even before its tombstone");
  }

  @Test
  void keysUnderAnOlderDataKeyAreRewrappedUnlessTheyExpireWithinTheMargin() {
    String k1 = DataKeys.generateEntry("k1");
    String k2 = DataKeys.generateEntry("k2");
    var made = new ArrayList<RetentionKey>();
    // December 2021's key expires on 2027-01-01; November 2026's on 2031-12-01
    var december2021 = new MutableClock(Instant.parse("2021-12-15T10:00:00Z"));
    var old =
        new RetentionKeys(
            DataKeys.parse(k1, null), RetentionPolicy.DEFAULT, december2021, made::add);
    EncryptedValue nearItsEnd = old.seal("u1", ADA);
    december2021.set(Instant.parse("2026-11-15T10:00:00Z"));
    EncryptedValue recent = old.seal("u2", ADA);

    // half a day before December 2021's key expires, k2 made active
    var now = new MutableClock(Instant.parse("2026-12-31T12:00:00Z"));
    var rotating =
        new RetentionKeys(
            DataKeys.parse(k1 + "," + k2, "k2"), RetentionPolicy.DEFAULT, now, published::add);
    made.forEach(k -> rotating.apply(k.getKeyId(), k));
    List<RetentionKey> due = rotating.rewrapsDue(Duration.ofDays(1));

    assertEquals(1, due.size(), "only the key that does not expire within the margin");
    RetentionKey rewrapped = due.get(0);
    assertEquals(recent.getKeyId(), rewrapped.getKeyId());
    assertEquals("k2", rewrapped.getWrappedKey().getKeyId());
    // the same key: with k1 retired, what it sealed still opens
    var retired =
        new RetentionKeys(DataKeys.parse(k2, null), RetentionPolicy.DEFAULT, now, published::add);
    retired.apply(rewrapped.getKeyId(), rewrapped);
    assertEquals(ADA, retired.open("u2", recent).orElseThrow());
    // nothing left to do once it is applied
    rotating.apply(rewrapped.getKeyId(), rewrapped);
    assertEquals(List.of(), rotating.rewrapsDue(Duration.ofDays(1)));
    assertTrue(nearItsEnd.getKeyId().startsWith("retention:2021-12:"));
  }

  @Test
  void aPublishingFailureSealsNothing() {
    var failing =
        new RetentionKeys(
            dataKeys,
            RetentionPolicy.DEFAULT,
            clock,
            k -> {
              throw new IllegalStateException("broker down");
            });
    assertThrows(IllegalStateException.class, () -> failing.seal("u1", ADA));
    assertTrue(failing.keys().isEmpty());
    // the follower's failure is retriable: the decision is retried, never dead-lettered
    var notWritten =
        new io.userpipe.runtime.retention.RetentionKeyFollower.KeyNotWritten(
            "retention:2026-12:x", new java.util.concurrent.TimeoutException());
    var retried =
        new RetentionKeys(
            dataKeys,
            RetentionPolicy.DEFAULT,
            clock,
            k -> {
              throw notWritten;
            });
    var thrown = assertThrows(RuntimeException.class, () -> retried.seal("u1", ADA));
    assertTrue(io.userpipe.runtime.serde.TransientSerdeException.isTransient(thrown));
  }

  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
