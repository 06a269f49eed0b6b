package io.userpipe.commands.topology;

import io.userpipe.schemas.UserCommand;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The gate of {@code users.commands.by-user}: a command this task has already decided (the same
 * command delivered upstream twice, once keyed by its user and once otherwise) goes no further.
 */
final class SkipSeenCommands implements Processor<String, UserCommand, String, UserCommand> {

  private final Clock clock;
  private ProcessorContext<String, UserCommand> context;
  private SeenCommands seen;

  SkipSeenCommands(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, UserCommand> context) {
    this.context = context;
    this.seen = new SeenCommands(context.getStateStore(UserCommandTopology.SEEN_COMMANDS));
  }

  @Override
  public void process(Record<String, UserCommand> record) {
    UserCommand command = record.value();
    if (command == null) {
      return;
    }
    Instant now = clock.instant();
    if (seen.seen(command.getCommandId(), now)) {
      return;
    }
    seen.remember(command.getCommandId(), now);
    context.forward(record);
  }
}
