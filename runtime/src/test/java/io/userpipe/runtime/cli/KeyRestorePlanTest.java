package io.userpipe.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.userpipe.runtime.cli.KeyRestorePlan.Life;
import io.userpipe.runtime.cli.KeyRestorePlan.Outcome;
import io.userpipe.runtime.crypto.RetentionPolicy;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.RetentionKey;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserDeleted;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserKey;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which keys of a backup a restore writes back: never one shredded on purpose since. */
class KeyRestorePlanTest {

  private static final Instant NOW = Instant.parse("2026-12-03T07:00:00Z");

  private static EncryptedValue wrapped() {
    return new EncryptedValue("k1", ByteBuffer.wrap(new byte[12]), ByteBuffer.wrap(new byte[48]));
  }

  private static UserEvent event(String userId, Object payload) {
    return UserEvent.newBuilder()
        .setEventId(userId + "/" + payload.getClass().getSimpleName())
        .setUserId(userId)
        .setVersion(1)
        .setOccurredAt(NOW)
        .setPayload(payload)
        .build();
  }

  private static UserCreated created() {
    return UserCreated.newBuilder().setProfile(wrapped()).build();
  }

  private static UserDeleted deleted() {
    return UserDeleted.newBuilder().build();
  }

  private static KeyBackupFile backup(List<String> users, List<RetentionKey> retention) {
    var u = new LinkedHashMap<String, UserKey>();
    users.forEach(id -> u.put(id, new UserKey(id, wrapped())));
    var r = new LinkedHashMap<String, RetentionKey>();
    retention.forEach(k -> r.put(k.getKeyId(), k));
    return new KeyBackupFile(NOW.minusSeconds(3600), u, r);
  }

  private static RetentionKey retentionKey(String period) {
    return new RetentionKey("retention:" + period + ":ab", period, wrapped(), NOW);
  }

  private static Map<String, Outcome> outcomes(List<KeyRestorePlan.Decision> decisions) {
    return decisions.stream()
        .collect(Collectors.toMap(KeyRestorePlan.Decision::key, KeyRestorePlan.Decision::outcome));
  }

  @Test
  void restoresOnlyPeopleAliveOnTheLogWhoseKeyIsMissing() {
    var lives = new HashMap<String, Life>();
    for (var e :
        List.of(
            event("alive", created()),
            event("erased-since", created()),
            event("present", created()),
            event("tombstoned", created()),
            event("erased-since", deleted()),
            event("recreated", created()),
            event("recreated", deleted()),
            event("recreated", created()))) {
      KeyRestorePlan.fold(lives, e);
    }
    var plan =
        new KeyRestorePlan(
            Map.of("present", true, "tombstoned", false),
            Map.of(),
            lives,
            RetentionPolicy.DEFAULT,
            NOW);

    var outcomes =
        outcomes(
            plan.decide(
                backup(
                    List.of(
                        "alive",
                        "erased-since",
                        "present",
                        "tombstoned",
                        "recreated",
                        "never-seen"),
                    List.of())));

    assertEquals(Outcome.RESTORED, outcomes.get("alive"));
    assertEquals(Outcome.ERASED, outcomes.get("erased-since"));
    assertEquals(Outcome.PRESENT, outcomes.get("present"), "a newer key is never overwritten");
    assertEquals(Outcome.ERASED, outcomes.get("tombstoned"));
    assertEquals(Outcome.RESTORED, outcomes.get("recreated"), "the later of the two wins");
    assertEquals(Outcome.UNKNOWN, outcomes.get("never-seen"));
  }

  @Test
  void neverRestoresARetentionKeyPastItsPeriodOrOneTheTopicHoldsOrShredded() {
    var expired = retentionKey("2019-01");
    var current = retentionKey("2026-11");
    var present = new RetentionKey("retention:2026-10:cd", "2026-10", wrapped(), NOW);
    var shredded = new RetentionKey("retention:2026-09:ef", "2026-09", wrapped(), NOW);
    var plan =
        new KeyRestorePlan(
            Map.of(),
            Map.of(present.getKeyId(), true, shredded.getKeyId(), false),
            Map.of(),
            RetentionPolicy.DEFAULT,
            NOW);

    var outcomes =
        outcomes(plan.decide(backup(List.of(), List.of(expired, current, present, shredded))));

    assertEquals(Outcome.EXPIRED, outcomes.get(expired.getKeyId()));
    assertEquals(Outcome.RESTORED, outcomes.get(current.getKeyId()));
    assertEquals(Outcome.PRESENT, outcomes.get(present.getKeyId()));
    assertEquals(Outcome.ERASED, outcomes.get(shredded.getKeyId()));
  }

  @Test
  void aShorterRetentionExpiresAKeySooner() {
    var plan = new KeyRestorePlan(Map.of(), Map.of(), Map.of(), RetentionPolicy.parse("P30D"), NOW);

    var outcomes = outcomes(plan.decide(backup(List.of(), List.of(retentionKey("2026-10")))));

    assertEquals(Outcome.EXPIRED, outcomes.get("retention:2026-10:ab"));
  }
}
