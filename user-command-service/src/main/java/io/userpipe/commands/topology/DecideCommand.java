package io.userpipe.commands.topology;

import io.userpipe.commands.domain.CommandEnvelope;
import io.userpipe.commands.domain.Decision;
import io.userpipe.commands.domain.Event;
import io.userpipe.commands.domain.Rejection;
import io.userpipe.commands.domain.User;
import io.userpipe.commands.domain.UserDecider;
import io.userpipe.schemas.UserAggregate;
import io.userpipe.schemas.UserCommand;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The user-keyed half: loads the user, lets the decider decide, appends the events, stores the new
 * state and answers with exactly one result, all in the task's exactly-once transaction.
 */
final class DecideCommand implements Processor<String, UserCommand, String, Object> {

  private final UserDecider decider;
  private final Clock clock;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, UserAggregate> users;
  private SeenCommands seen;

  DecideCommand(UserDecider decider, Clock clock) {
    this.decider = decider;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.users = context.getStateStore(UserCommandTopology.USERS);
    this.seen = new SeenCommands(context.getStateStore(UserCommandTopology.DECIDED_COMMANDS));
  }

  @Override
  public void process(Record<String, UserCommand> record) {
    UserCommand command = record.value();
    if (command == null) {
      return;
    }
    Instant now = clock.instant();
    if (seen.seen(command.getCommandId(), now)) {
      return; // delivered twice: its one result exists already
    }
    seen.remember(command.getCommandId(), now);
    String userId = record.key();
    var envelope = AvroMapping.toDomain(command);
    if (envelope.isEmpty()) {
      answer(
          record,
          AvroMapping.rejected(
              command,
              userId,
              Rejection.invalid("payload", AvroMapping.payloadType(command) + " is not supported"),
              now));
      return;
    }
    User state = AvroMapping.toDomain(users.get(userId));
    Decision decision = decider.decide(state, envelope.get().withUserId(userId));
    if (decision instanceof Decision.Rejected rejected) {
      answer(record, AvroMapping.rejected(command, userId, rejected.rejection(), now));
      return;
    }
    var accepted = (Decision.Accepted) decision;
    User after = append(record, state, envelope.get(), accepted, now);
    answer(
        record,
        AvroMapping.accepted(command, accepted.userId(), after.version(), accepted.created(), now));
  }

  private User append(
      Record<String, UserCommand> record,
      User state,
      CommandEnvelope cause,
      Decision.Accepted accepted,
      Instant now) {
    User after = state;
    int index = 0;
    for (Event event : accepted.events()) {
      after = UserDecider.evolve(after, accepted.userId(), event, cause.platformId(), now);
      var avro =
          AvroMapping.toAvro(Ids.eventIdFor(cause.commandId(), index++), after, event, cause, now);
      context.forward(
          record.withKey(accepted.userId()).withValue(avro), UserCommandTopology.TO_EVENTS);
    }
    if (after != state) {
      users.put(accepted.userId(), AvroMapping.toAvro(after));
    }
    return after;
  }

  private void answer(Record<String, UserCommand> record, Object result) {
    context.forward(
        record.withKey(record.value().getCommandId()).withValue(result),
        UserCommandTopology.DECIDER_RESULTS);
  }
}
