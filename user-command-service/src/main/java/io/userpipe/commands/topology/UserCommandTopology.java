package io.userpipe.commands.topology;

import io.userpipe.commands.domain.CreateUserValidator;
import io.userpipe.commands.domain.PhoneNormalizer;
import io.userpipe.commands.domain.UserDecider;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.TopicSpec;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserAggregate;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * user-command-service, top to bottom:
 *
 * <pre>
 * users.commands ─▶ route-command [phone-registry, routed-command-ids] ─┬─▶ users.commands.by-user
 *                                                   ├─▶ users.commands (a create keyed wrongly, re-keyed)
 *                                                   └─▶ users.command-results (invalid creates)
 * users.commands.by-user ─▶ decide [users, decided-command-ids] ─┬─▶ users.events
 *                                           └─▶ users.command-results
 * </pre>
 */
public final class UserCommandTopology {

  public static final String PHONE_REGISTRY = "phone-registry";
  public static final String USERS = "users";
  public static final String ROUTED_COMMANDS = "routed-command-ids";
  public static final String DECIDED_COMMANDS = "decided-command-ids";

  static final String TO_COMMANDS = "rekeyed-commands";
  static final String TO_COMMANDS_BY_USER = "commands-by-user-sink";
  static final String ROUTER_RESULTS = "router-results";
  static final String TO_EVENTS = "events";
  static final String DECIDER_RESULTS = "decider-results";

  private UserCommandTopology() {}

  public static Topology build(AvroSerdes serdes, Clock clock) {
    return build(serdes, clock, Topics.USER_COMMANDS.partitions());
  }

  /**
   * @param commandPartitions the partition count of {@code users.commands}, which decides where a
   *     phone number's creates belong (start-up checks the cluster agrees with the catalogue)
   */
  static Topology build(AvroSerdes serdes, Clock clock, int commandPartitions) {
    var validator = new CreateUserValidator(new PhoneNormalizer(), clock);
    var decider = new UserDecider(validator);
    var commands = Topics.USER_COMMANDS;
    var byUser = Topics.USER_COMMANDS_BY_USER;
    var events = Topics.USER_EVENTS;
    var results = Topics.COMMAND_RESULTS;

    var topology = new Topology();

    topology
        .addSource(
            "commands",
            serdes.keySerde(commands).deserializer(),
            serdes.valueSerde(commands).deserializer(),
            commands.name())
        .addProcessor(
            "route-command",
            () -> new RouteCommand(validator, commandPartitions, clock),
            "commands")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PHONE_REGISTRY), Serdes.String(), Serdes.String()),
            "route-command")
        .addStateStore(seenCommands(ROUTED_COMMANDS), "route-command")
        .addSink(
            TO_COMMANDS,
            commands.name(),
            keys(serdes, commands),
            values(serdes, commands),
            "route-command")
        .addSink(
            TO_COMMANDS_BY_USER,
            byUser.name(),
            keys(serdes, byUser),
            values(serdes, byUser),
            "route-command")
        .addSink(
            ROUTER_RESULTS,
            results.name(),
            keys(serdes, results),
            values(serdes, results),
            "route-command");

    topology
        .addSource(
            "commands-by-user",
            serdes.keySerde(byUser).deserializer(),
            serdes.valueSerde(byUser).deserializer(),
            byUser.name())
        .addProcessor("decide", () -> new DecideCommand(decider, clock), "commands-by-user")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(USERS),
                Serdes.String(),
                serdes.value(UserAggregate.class)),
            "decide")
        .addStateStore(seenCommands(DECIDED_COMMANDS), "decide")
        .addSink(TO_EVENTS, events.name(), keys(serdes, events), values(serdes, events), "decide")
        .addSink(
            DECIDER_RESULTS,
            results.name(),
            keys(serdes, results),
            values(serdes, results),
            "decide");

    return topology;
  }

  private static StoreBuilder<WindowStore<String, Long>> seenCommands(String name) {
    return Stores.windowStoreBuilder(
        Stores.persistentWindowStore(name, SeenCommands.RETENTION, SeenCommands.RETENTION, false),
        Serdes.String(),
        Serdes.Long());
  }

  private static <K, V> Serializer<K> keys(AvroSerdes serdes, TopicSpec<K, V> topic) {
    return serdes.keySerde(topic).serializer();
  }

  @SuppressWarnings("unchecked")
  private static <K, V> Serializer<Object> values(AvroSerdes serdes, TopicSpec<K, V> topic) {
    // Processors forward several value types to their named sinks; each sink gets only its own.
    return (Serializer<Object>) serdes.valueSerde(topic).serializer();
  }
}
