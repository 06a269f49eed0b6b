package io.userpipe.commands.topology;

import io.userpipe.commands.domain.CreateUserValidator;
import io.userpipe.commands.domain.PhoneNormalizer;
import io.userpipe.commands.domain.UserDecider;
import io.userpipe.commands.domain.VerificationPolicy;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.SecretHasher;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.streams.LatestByKey;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserAggregate;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * user-command-service, top to bottom:
 *
 * <pre>
 * users.commands ─────────▶ route-command [phone-registry, routed-command-ids] ─┬─▶ users.commands.by-user
 * users.phone-releases ───▶ release-phone [phone-registry]                      ├─▶ users.commands (a create keyed wrongly, re-keyed)
 *                                                                               └─▶ users.command-results (invalid creates)
 * ofac.screenings ────────▶ record-ofac-statuses [ofac-statuses]
 * users.commands.by-user ─▶ decide [users, decided-command-ids, ofac-statuses] ─┬─▶ users.events
 *                                                                ├─▶ users.keys (created; tombstone on delete)
 *                                                                ├─▶ users.phone-releases (on delete)
 *                                                                ├─▶ notifications.sms (one-time codes, sealed)
 *                                                                └─▶ users.command-results
 * </pre>
 */
public final class UserCommandTopology {

  public static final String PHONE_REGISTRY = "phone-registry";
  public static final String USERS = "users";
  public static final String ROUTED_COMMANDS = "routed-command-ids";
  public static final String DECIDED_COMMANDS = "decided-command-ids";
  public static final String OFAC_STATUSES = "ofac-statuses";

  static final String TO_COMMANDS = "rekeyed-commands";
  static final String TO_COMMANDS_BY_USER = "commands-by-user-sink";
  static final String ROUTER_RESULTS = "router-results";
  static final String TO_EVENTS = "events";
  static final String TO_USER_KEYS = "user-keys";
  static final String TO_PHONE_RELEASES = "phone-releases-sink";
  static final String TO_SMS = "sms";
  static final String DECIDER_RESULTS = "decider-results";

  /** The secrets and rules the service decides with. */
  public record Settings(DataKeys dataKeys, SecretHasher codeHasher, VerificationPolicy policy) {}

  private UserCommandTopology() {}

  public static Topology build(AvroSerdes serdes, Clock clock, Settings settings) {
    return build(serdes, clock, settings, Topics.USER_COMMANDS.partitions());
  }

  /**
   * @param commandPartitions the partition count of {@code users.commands}, which decides where a
   *     phone number's creates belong (start-up checks the cluster agrees with the catalogue)
   */
  static Topology build(AvroSerdes serdes, Clock clock, Settings settings, int commandPartitions) {
    var validator = new CreateUserValidator(new PhoneNormalizer(), clock);
    var decider =
        new UserDecider(validator, settings.policy(), new SecureCodes(settings.codeHasher()));
    var sealing = new Sealing(settings.dataKeys());
    var commands = Topics.USER_COMMANDS;
    var releases = Topics.PHONE_RELEASES;
    var byUser = Topics.USER_COMMANDS_BY_USER;
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
        .addSource(
            "phone-releases",
            serdes.keySerde(releases).deserializer(),
            serdes.valueSerde(releases).deserializer(),
            releases.name())
        .addProcessor("release-phone", ReleasePhone::new, "phone-releases")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PHONE_REGISTRY), Serdes.String(), Serdes.String()),
            "route-command",
            "release-phone")
        .addStateStore(seenCommands(ROUTED_COMMANDS), "route-command");
    serdes.addSink(topology, TO_COMMANDS, commands, "route-command");
    serdes.addSink(topology, TO_COMMANDS_BY_USER, byUser, "route-command");
    serdes.addSink(topology, ROUTER_RESULTS, results, "route-command");

    topology
        .addSource(
            "commands-by-user",
            serdes.keySerde(byUser).deserializer(),
            serdes.valueSerde(byUser).deserializer(),
            byUser.name())
        .addProcessor(
            "decide", () -> new DecideCommand(decider, sealing, clock), "commands-by-user")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(USERS),
                    Serdes.String(),
                    serdes.value(UserAggregate.class))
                // holds each user's wrapped key: compact a deletion away as fast as users.keys
                .withLoggingEnabled(Topics.USER_KEYS.configs()),
            "decide")
        .addStateStore(seenCommands(DECIDED_COMMANDS), "decide");
    LatestByKey.addTo(topology, serdes, Topics.OFAC_SCREENINGS, OFAC_STATUSES, "decide");
    serdes.addSink(topology, TO_EVENTS, Topics.USER_EVENTS, "decide");
    serdes.addSink(topology, TO_USER_KEYS, Topics.USER_KEYS, "decide");
    serdes.addSink(topology, TO_PHONE_RELEASES, releases, "decide");
    serdes.addSink(topology, TO_SMS, Topics.SMS, "decide");
    serdes.addSink(topology, DECIDER_RESULTS, results, "decide");

    return topology;
  }

  private static StoreBuilder<WindowStore<String, Long>> seenCommands(String name) {
    return Stores.windowStoreBuilder(
        Stores.persistentWindowStore(name, SeenCommands.RETENTION, SeenCommands.RETENTION, false),
        Serdes.String(),
        Serdes.Long());
  }
}
