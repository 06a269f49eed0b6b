package io.userpipe.commands.topology;

import io.userpipe.commands.domain.Command;
import io.userpipe.commands.domain.CreateUserValidator;
import io.userpipe.commands.domain.PhoneNormalizer;
import io.userpipe.commands.domain.Rejection;
import io.userpipe.schemas.UserCommand;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The phone-keyed half of the service. A CreateUser is validated, then the phone registry says
 * which user it is for: a new id derived from the command id when the number is free, the owner's
 * id otherwise. Every other command is passed on keyed by its user id.
 *
 * <p>One user per phone number holds because every create for one number is decided here, by the
 * one task that owns that number's partition, and the claim, the hand-over and the offsets commit
 * in one exactly-once transaction. A create that arrives on another partition (a producer keyed it
 * differently) is sent round again keyed by its E.164 number.
 */
final class RouteCommand implements Processor<String, UserCommand, String, Object> {

  private final CreateUserValidator createRules;
  private final int commandPartitions;
  private final Clock clock;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, String> phoneRegistry;
  private SeenCommands seen;

  RouteCommand(CreateUserValidator createRules, int commandPartitions, Clock clock) {
    this.createRules = createRules;
    this.commandPartitions = commandPartitions;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.phoneRegistry = context.getStateStore(UserCommandTopology.PHONE_REGISTRY);
    this.seen = new SeenCommands(context.getStateStore(UserCommandTopology.ROUTED_COMMANDS));
  }

  @Override
  public void process(Record<String, UserCommand> record) {
    UserCommand command = record.value();
    if (command == null) {
      return; // a tombstone on a command topic means nothing
    }
    Instant now = clock.instant();
    if (seen.seen(command.getCommandId(), now)) {
      return; // delivered twice: routed (and answered) the first time
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
    context.forward(record.withKey(command.getUserId()), UserCommandTopology.TO_COMMANDS_BY_USER);
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
    if (!e164.equals(record.key()) || !ownsPartitionOf(e164)) {
      // Not remembered here: the task owning the number decides it when it comes round.
      context.forward(record.withKey(e164), UserCommandTopology.TO_COMMANDS);
      return;
    }
    seen.remember(command.getCommandId(), now);
    String userId = phoneRegistry.get(e164);
    if (userId == null) {
      userId = Ids.userIdFor(command.getCommandId());
      phoneRegistry.put(e164, userId);
    }
    var routed = UserCommand.newBuilder(command).setUserId(userId).build();
    context.forward(
        record.withKey(userId).withValue(routed), UserCommandTopology.TO_COMMANDS_BY_USER);
  }

  private boolean ownsPartitionOf(String e164) {
    // The default partitioner's choice for this key; the same the sink below makes.
    int expected =
        Utils.toPositive(Utils.murmur2(e164.getBytes(StandardCharsets.UTF_8))) % commandPartitions;
    return context.recordMetadata().map(m -> m.partition() == expected).orElse(true);
  }

  private void reject(Record<String, UserCommand> record, UserCommand command, Rejection r) {
    context.forward(
        record
            .withKey(command.getCommandId())
            .withValue(
                AvroMapping.rejected(command, command.getUserId(), null, r, clock.instant())),
        UserCommandTopology.ROUTER_RESULTS);
  }
}
