package io.userpipe.commands.topology;

import io.userpipe.commands.domain.CommandEnvelope;
import io.userpipe.commands.domain.Decision;
import io.userpipe.commands.domain.Event;
import io.userpipe.commands.domain.Notification;
import io.userpipe.commands.domain.Rejection;
import io.userpipe.commands.domain.User;
import io.userpipe.commands.domain.UserDecider;
import io.userpipe.runtime.streams.PlatformDoor;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.PhoneReleased;
import io.userpipe.schemas.SmsContent;
import io.userpipe.schemas.SmsMessage;
import io.userpipe.schemas.UserAggregate;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.UserKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The user-keyed half, behind the gates that drop a command seen before: loads the user, lets the
 * decider decide, appends the events, stores the new state, sends what must be sent, and answers
 * with exactly one result — all in the task's exactly-once transaction.
 */
final class DecideCommand implements Processor<String, UserCommand, String, Object> {

  private final UserDecider decider;
  private final Sealing sealing;
  private final AvroMapping mapping;
  private final Clock clock;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, UserAggregate> users;
  private KeyValueStore<String, OfacStatusChanged> ofacStatuses;

  DecideCommand(UserDecider decider, Sealing sealing, Clock clock) {
    this.decider = decider;
    this.sealing = sealing;
    this.mapping = new AvroMapping(sealing);
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.users = context.getStateStore(UserCommandTopology.USERS);
    this.ofacStatuses = context.getStateStore(UserCommandTopology.OFAC_STATUSES);
  }

  @Override
  public void process(Record<String, UserCommand> record) {
    UserCommand command = record.value();
    if (command == null) {
      return;
    }
    Instant now = clock.instant();
    String userId = record.key();
    var envelope = mapping.toDomain(command);
    if (envelope.isEmpty()) {
      answer(
          record,
          AvroMapping.rejected(
              command,
              userId,
              null,
              Rejection.invalid("payload", AvroMapping.payloadType(command) + " is not supported"),
              now));
      return;
    }
    UserAggregate stored = users.get(userId);
    User state = mapping.toDomain(stored);
    OfacStatusChanged ofac = ofacStatuses.get(userId);
    Decision decision =
        decider.decide(
            state, envelope.get().withUserId(userId), now, ofac == null ? null : ofac.getStatus());
    if (decision instanceof Decision.RewrapKey) {
      rewrapKey(record, stored, userId);
      answer(record, AvroMapping.accepted(command, userId, state.version(), false, now));
      return;
    }
    if (decision instanceof Decision.Rejected rejected) {
      User after = append(record, state, stored, envelope.get(), userId, rejected.events(), now);
      answer(
          record,
          AvroMapping.rejected(
              command, userId, after == null ? null : after.version(), rejected.rejection(), now));
      return;
    }
    var accepted = (Decision.Accepted) decision;
    User after =
        append(record, state, stored, envelope.get(), accepted.userId(), accepted.events(), now);
    notify(record, accepted, after, now);
    answer(
        record,
        AvroMapping.accepted(command, accepted.userId(), after.version(), accepted.created(), now));
  }

  /** Appends the events, keeps the user's key in step, stores the new state. */
  private User append(
      Record<String, UserCommand> record,
      User state,
      UserAggregate stored,
      CommandEnvelope cause,
      String userId,
      List<Event> events,
      Instant now) {
    if (events.isEmpty()) {
      return state;
    }
    EncryptedValue userKey = stored == null ? null : stored.getWrappedKey();
    User after = state;
    int index = 0;
    for (Event event : events) {
      if (event instanceof Event.UserCreated) {
        userKey = sealing.newUserKey(userId);
        // A millisecond before the event it opens: a service reading both topics takes the
        // record with the earlier timestamp first, so it holds the key when the event arrives
        // (with equal timestamps either could come first, and the event would wait for the key).
        context.forward(
            record
                .withKey(userId)
                .withValue(new UserKey(userId, userKey))
                .withTimestamp(record.timestamp() - 1),
            UserCommandTopology.TO_USER_KEYS);
      }
      User before = after;
      after = UserDecider.evolve(after, userId, event, cause.platformId(), now);
      var avro =
          mapping.toAvro(
              Ids.eventIdFor(cause.commandId(), index++), after, userKey, event, cause, now);
      context.forward(record.withKey(userId).withValue(avro), UserCommandTopology.TO_EVENTS);
      if (event instanceof Event.UserDeleted) {
        // Shred: the key goes (a tombstone, compacted away), the number is free again.
        context.forward(record.withKey(userId).withValue(null), UserCommandTopology.TO_USER_KEYS);
        String e164 = before.profile().phone().e164();
        context.forward(
            record.withKey(e164).withValue(new PhoneReleased(userId, e164)),
            UserCommandTopology.TO_PHONE_RELEASES);
      }
    }
    users.put(userId, mapping.toAvro(after, userKey));
    return after;
  }

  /**
   * Key rotation: the user's own key, wrapped anew by the active data key, in the store and on
   * {@code users.keys}; nothing when the active key wraps it already. Here, in the user's task and
   * transaction, and only for a user the decider found alive: it can never follow the user's
   * deletion (and its tombstone on {@code users.keys}) and bring a shredded key back.
   */
  private void rewrapKey(Record<String, UserCommand> record, UserAggregate stored, String userId) {
    var rewrapped = sealing.rewrapUserKey(stored.getWrappedKey(), userId);
    if (rewrapped.isEmpty()) {
      return;
    }
    EncryptedValue userKey = rewrapped.get();
    // the aggregate's sealed values are under the user's key, which is the same: only the wrap
    users.put(userId, UserAggregate.newBuilder(stored).setWrappedKey(userKey).build());
    context.forward(
        record.withKey(userId).withValue(new UserKey(userId, userKey)),
        UserCommandTopology.TO_USER_KEYS);
  }

  private void notify(
      Record<String, UserCommand> record, Decision.Accepted accepted, User after, Instant now) {
    int index = 0;
    for (Notification n : accepted.notifications()) {
      if (n instanceof Notification.Sms sms) {
        String messageId = Ids.eventIdFor(record.value().getCommandId() + "/sms", index++);
        var message =
            new SmsMessage(
                messageId,
                after.id(),
                sealing.sealSms(messageId, new SmsContent(sms.to(), sms.text())),
                now,
                // whose limit it counts against, and who sees its delivery
                record.value().getPlatformId());
        context.forward(record.withKey(after.id()).withValue(message), UserCommandTopology.TO_SMS);
      }
    }
  }

  private void answer(Record<String, UserCommand> record, Object result) {
    Record<String, Object> answer = record.withKey(record.value().getCommandId()).withValue(result);
    context.forward(answer, UserCommandTopology.DECIDER_RESULTS);
    if (PlatformDoor.stamped(record.headers()).isPresent()) {
      context.forward(answer, UserCommandTopology.DECIDER_DOOR_RESULTS);
    }
  }
}
