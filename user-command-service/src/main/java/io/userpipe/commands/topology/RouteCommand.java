package io.userpipe.commands.topology;

import io.userpipe.commands.domain.Command;
import io.userpipe.commands.domain.CreateUserValidator;
import io.userpipe.commands.domain.PhoneNormalizer;
import io.userpipe.commands.domain.Rejection;
import io.userpipe.runtime.streams.InputLimits;
import io.userpipe.runtime.streams.PlatformDoor;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.vocabulary.RejectionCode;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Where a command from outside is decided. A CreateUser is validated, then the phone registry says
 * which user it is for: the owner when the number is taken, otherwise a new id derived from the
 * command id and chosen to fall on this same partition. A command for a user of this partition is
 * decided here, by the next processor; one for a user of another partition goes there on {@code
 * users.commands.by-user}.
 *
 * <p>One user per phone number holds because every create for one number is decided by the one task
 * that owns that number's partition, and the claim, the creation and the offsets commit in one
 * exactly-once transaction. A create that arrives on another partition (a producer keyed it
 * differently) is sent round again keyed by its E.164 number.
 */
final class RouteCommand implements Processor<String, UserCommand, String, Object> {

  private final CreateUserValidator createRules;
  private final int partitions;
  private final Clock clock;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, String> phoneRegistry;
  private SeenCommands seen;

  /**
   * @param partitions the partition count shared by {@code users.commands} and {@code
   *     users.commands.by-user}
   */
  RouteCommand(CreateUserValidator createRules, int partitions, Clock clock) {
    this.createRules = createRules;
    this.partitions = partitions;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.phoneRegistry = context.getStateStore(UserCommandTopology.PHONE_REGISTRY);
    this.seen = new SeenCommands(context.getStateStore(UserCommandTopology.SEEN_COMMANDS));
  }

  @Override
  public void process(Record<String, UserCommand> record) {
    UserCommand command = record.value();
    if (command == null) {
      return; // a tombstone on a command topic means nothing
    }
    InputLimits.requireCommandId(command.getCommandId()); // else dead-lettered with the limit
    var door = PlatformDoor.sourcePlatform(context);
    if (door.isPresent()) {
      record = PlatformDoor.stamp(record, door.get());
    }
    Instant now = clock.instant();
    if (seen.seen(command.getCommandId(), now)) {
      return; // delivered twice: decided (and answered) the first time
    }
    if (door.isPresent() && !door.get().equals(command.getPlatformId())) {
      seen.remember(command.getCommandId(), now);
      String claimed = command.getPlatformId();
      command.setPlatformId(door.get()); // answered to the platform whose topic it came on
      reject(
          record,
          command,
          new Rejection(
              RejectionCode.FORBIDDEN,
              "platform_id",
              "names platform "
                  + claimed
                  + ", but the command came in on platform "
                  + door.get()
                  + "'s topic; a platform acts only for itself"));
      return;
    }
    if (command.getPayload() instanceof io.userpipe.schemas.CreateUser create) {
      routeCreate(record, command, AvroMapping.toDomain(create), now);
      return;
    }
    seen.remember(command.getCommandId(), now);
    if (command.getUserId() == null || command.getUserId().isBlank()) {
      reject(record, command, Rejection.invalid("user_id", "is required for this command"));
      return;
    }
    decideWhereTheUserLives(record.withKey(command.getUserId()));
  }

  private void routeCreate(
      Record<String, UserCommand> record,
      UserCommand command,
      Command.CreateUser create,
      Instant now) {
    var validated = createRules.validate(create);
    if (validated instanceof PhoneNormalizer.Result.Invalid invalid) {
      seen.remember(command.getCommandId(), now);
      reject(record, command, invalid.rejection());
      return;
    }
    String e164 = ((PhoneNormalizer.Result.Valid) validated).phone().e164();
    if (!e164.equals(record.key())
        || DefaultPartitioner.partitionOf(e164, partitions) != partition()) {
      // Not remembered here: the task owning the number decides it when it comes round.
      context.forward(record.withKey(e164), UserCommandTopology.TO_COMMANDS);
      return;
    }
    seen.remember(command.getCommandId(), now);
    String userId = phoneRegistry.get(e164);
    if (userId == null) {
      userId = Ids.userIdFor(command.getCommandId(), partition(), partitions);
      phoneRegistry.put(e164, userId);
    }
    command.setUserId(userId); // this record's own copy, read from the topic: no deep copy
    decideWhereTheUserLives(record.withKey(userId));
  }

  private void decideWhereTheUserLives(Record<String, UserCommand> byUser) {
    if (DefaultPartitioner.partitionOf(byUser.key(), partitions) == partition()) {
      context.forward(byUser, UserCommandTopology.DECIDE);
    } else {
      context.forward(byUser, UserCommandTopology.TO_COMMANDS_BY_USER);
    }
  }

  /** This task's partition of the co-partitioned topics it reads. */
  private int partition() {
    return context.taskId().partition();
  }

  private void reject(Record<String, UserCommand> record, UserCommand command, Rejection r) {
    Record<String, Object> result =
        record
            .withKey(command.getCommandId())
            .withValue(
                AvroMapping.rejected(command, command.getUserId(), null, r, clock.instant()));
    context.forward(result, UserCommandTopology.ROUTER_RESULTS);
    if (PlatformDoor.stamped(record.headers()).isPresent()) {
      context.forward(result, UserCommandTopology.ROUTER_DOOR_RESULTS);
    }
  }
}
