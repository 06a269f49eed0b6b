package io.userpipe.runtime.cli;

import io.userpipe.runtime.crypto.RetentionPolicy;
import io.userpipe.schemas.RetentionKey;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserDeleted;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserKey;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which keys of a backup go back on their topic, decided without Kafka. A restore must never revive
 * what was shredded on purpose after the backup was taken, so a key is written back only when all
 * of these hold:
 *
 * <ul>
 *   <li>its topic holds no record for it now: a live one may be newer (a key re-wrapped since), a
 *       tombstone is a shredding ({@code present}, {@code erased});
 *   <li>a user key: {@code users.events} shows the person created and not deleted since ({@code
 *       erased}); a person the log does not know at all is not restored either ({@code unknown}):
 *       nothing then shows they were not erased;
 *   <li>a retention key: its month and the retention period have not passed ({@code expired}), as
 *       ofac-screener and tin-verifier shred it then.
 * </ul>
 */
final class KeyRestorePlan {

  enum Outcome {
    RESTORED("restored"),
    PRESENT("skipped-as-present"),
    ERASED("skipped-as-erased"),
    UNKNOWN("skipped-as-unknown"),
    EXPIRED("skipped-as-expired");

    final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  record Decision(String topic, String key, Outcome outcome, String why) {
    @Override
    public String toString() {
      return outcome.label + " " + topic + " " + key + " (" + why + ")";
    }
  }

  /** A person's life as {@code users.events} tells it: created, then perhaps deleted. */
  enum Life {
    ALIVE,
    DELETED
  }

  /** What a topic holds for a key now: a live record ({@code true}) or a tombstone. */
  private final Map<String, Boolean> userKeysNow;

  private final Map<String, Boolean> retentionKeysNow;
  private final Map<String, Life> lives;
  private final RetentionPolicy policy;
  private final Instant now;

  KeyRestorePlan(
      Map<String, Boolean> userKeysNow,
      Map<String, Boolean> retentionKeysNow,
      Map<String, Life> lives,
      RetentionPolicy policy,
      Instant now) {
    this.userKeysNow = userKeysNow;
    this.retentionKeysNow = retentionKeysNow;
    this.lives = lives;
    this.policy = policy;
    this.now = now;
  }

  /** Folds one event of a person's log, in order: the later of creation and deletion wins. */
  static void fold(Map<String, Life> lives, UserEvent event) {
    if (event == null) {
      return;
    }
    if (event.getPayload() instanceof UserCreated) {
      lives.put(event.getUserId(), Life.ALIVE);
    } else if (event.getPayload() instanceof UserDeleted) {
      lives.put(event.getUserId(), Life.DELETED);
    }
  }

  List<Decision> decide(KeyBackupFile backup) {
    var decisions = new ArrayList<Decision>();
    for (UserKey k : backup.userKeys().values()) {
      decisions.add(decideUser(k.getUserId()));
    }
    for (RetentionKey k : backup.retentionKeys().values()) {
      decisions.add(decideRetention(k));
    }
    return decisions;
  }

  private Decision decideUser(String userId) {
    String topic = Topics.USER_KEYS.name();
    Boolean now = userKeysNow.get(userId);
    if (now != null) {
      return now
          ? new Decision(topic, userId, Outcome.PRESENT, "the topic holds a key: kept as it is")
          : new Decision(topic, userId, Outcome.ERASED, "a tombstone on the topic");
    }
    Life life = lives.get(userId);
    if (life == null) {
      return new Decision(
          topic, userId, Outcome.UNKNOWN, "no UserCreated on users.events: cannot show not erased");
    }
    if (life == Life.DELETED) {
      return new Decision(topic, userId, Outcome.ERASED, "UserDeleted on users.events");
    }
    return new Decision(topic, userId, Outcome.RESTORED, "alive on users.events");
  }

  private Decision decideRetention(RetentionKey key) {
    String topic = Topics.RETENTION_KEYS.name();
    String keyId = key.getKeyId();
    Boolean present = retentionKeysNow.get(keyId);
    if (present != null) {
      return present
          ? new Decision(topic, keyId, Outcome.PRESENT, "the topic holds it")
          : new Decision(topic, keyId, Outcome.ERASED, "a tombstone on the topic");
    }
    YearMonth period;
    try {
      period = YearMonth.parse(key.getPeriod());
    } catch (DateTimeException e) {
      return new Decision(topic, keyId, Outcome.UNKNOWN, "names no month");
    }
    if (policy.expired(period, now)) {
      return new Decision(
          topic,
          keyId,
          Outcome.EXPIRED,
          "its period " + period + " ended with " + policy.expiresAt(period));
    }
    return new Decision(topic, keyId, Outcome.RESTORED, "kept until " + policy.expiresAt(period));
  }

  /** How many decisions had each outcome, in the outcomes' order. */
  static Map<Outcome, Integer> counts(List<Decision> decisions) {
    var counts = new java.util.EnumMap<Outcome, Integer>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      counts.put(o, 0);
    }
    for (Decision d : decisions) {
      counts.merge(d.outcome(), 1, Integer::sum);
    }
    return counts;
  }

  static String summary(List<Decision> decisions) {
    var parts = new ArrayList<String>();
    for (var e : counts(decisions).entrySet()) {
      parts.add(e.getKey().label + " " + e.getValue());
    }
    return String.join(", ", parts);
  }
}
