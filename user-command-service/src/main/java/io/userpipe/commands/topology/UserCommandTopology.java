package io.userpipe.commands.topology;

import io.userpipe.commands.domain.CreateUserValidator;
import io.userpipe.commands.domain.PhoneNormalizer;
import io.userpipe.commands.domain.UserDecider;
import io.userpipe.commands.domain.VerificationPolicy;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.SecretHasher;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.streams.DayWindows;
import io.userpipe.runtime.streams.LatestByKey;
import io.userpipe.runtime.streams.PlatformDoor;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserAggregate;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * user-command-service, top to bottom. One sub-topology: its source topics are co-partitioned, so
 * task <i>n</i> reads partition <i>n</i> of each and owns both the phone numbers and the users that
 * hash there.
 *
 * <pre>
 * users.commands ──────────────▶ route-command [phone-registry, seen-command-ids] ─┬─▶ decide (a user of this partition)
 * platform.*.users.commands ──▶ (the platform's own: checked, stamped)          ├─▶ users.commands.by-user (a user of another)
 *                                                                                 ├─▶ users.commands (a create keyed wrongly, re-keyed)
 *                                                                                 └─▶ users.command-results (invalid commands)
 *                                                                                     (and platform.*.command-results if stamped)
 * users.commands.by-user ─▶ skip-seen-commands [seen-command-ids] ──────────────▶ decide
 * users.phone-releases ───▶ release-phone [phone-registry]
 * ofac.screenings ────────▶ [ofac-statuses] (a read-only copy of the topic)
 *
 * decide [users, ofac-statuses] ─┬─▶ users.events
 *                                ├─▶ users.keys (created; re-wrapped; tombstone on delete)
 *                                ├─▶ users.phone-releases (on delete)
 *                                ├─▶ notifications.sms (one-time codes, sealed)
 *                                └─▶ users.command-results (and platform.*.command-results if stamped)
 * </pre>
 *
 * <p>A new user's id is chosen to hash to its phone number's partition, so a create is claimed and
 * decided in one task and one transaction; only a command that arrives on another partition than
 * its user's (an old user, a producer that keyed it otherwise) takes the hop through {@code
 * users.commands.by-user}.
 *
 * <p>Upstream services write their own platform's topic ({@code platform.<id>.users.commands}),
 * read by a pattern source into the same tasks with no re-key hop: the broker's ACLs let only the
 * platform's principal write it, so the platform a command acts for is its topic's ({@link
 * PlatformDoor}), and each result is copied to that platform's own results topic.
 */
public final class UserCommandTopology {

  public static final String PHONE_REGISTRY = "phone-registry";
  public static final String USERS = "users";
  public static final String SEEN_COMMANDS = "seen-command-ids";
  public static final String OFAC_STATUSES = "ofac-statuses";

  static final String DECIDE = "decide";
  static final String TO_COMMANDS = "rekeyed-commands";
  static final String TO_COMMANDS_BY_USER = "commands-by-user-sink";
  static final String ROUTER_RESULTS = "router-results";
  static final String TO_EVENTS = "events";
  static final String TO_USER_KEYS = "user-keys";
  static final String TO_PHONE_RELEASES = "phone-releases-sink";
  static final String TO_SMS = "sms";
  static final String DECIDER_RESULTS = "decider-results";
  static final String ROUTER_DOOR_RESULTS = "router-door-results";
  static final String DECIDER_DOOR_RESULTS = "decider-door-results";

  /** The secrets and rules the service decides with. */
  /**
   * @param dataKeys wrap users' keys, seal the SMS outbox, and open command secrets sealed before
   *     the edge keys existed
   * @param edgeKeys open the secrets in commands
   */
  public record Settings(
      DataKeys dataKeys, DataKeys edgeKeys, SecretHasher codeHasher, VerificationPolicy policy) {}

  private UserCommandTopology() {}

  public static Topology build(AvroSerdes serdes, Clock clock, Settings settings) {
    int partitions = Topics.USER_COMMANDS.partitions();
    for (var topic :
        List.of(Topics.USER_COMMANDS_BY_USER, Topics.PHONE_RELEASES, Topics.OFAC_SCREENINGS)) {
      if (topic.partitions() != partitions) {
        throw new IllegalStateException(
            topic.name() + " must have as many partitions as " + Topics.USER_COMMANDS.name());
      }
    }
    return build(serdes, clock, settings, partitions);
  }

  /**
   * @param partitions the partition count of the service's co-partitioned source topics, which
   *     decides where a phone number's creates and a user's commands belong (start-up checks the
   *     cluster agrees with the catalogue)
   */
  static Topology build(AvroSerdes serdes, Clock clock, Settings settings, int partitions) {
    var validator = new CreateUserValidator(new PhoneNormalizer(), clock);
    var decider =
        new UserDecider(validator, settings.policy(), new SecureCodes(settings.codeHasher()));
    var sealing = new Sealing(settings.dataKeys(), settings.edgeKeys());
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
        .addSource(
            "platform-commands",
            serdes.keySerde(commands).deserializer(),
            serdes.valueSerde(commands).deserializer(),
            Topics.PLATFORM_USER_COMMANDS_PATTERN)
        .addProcessor(
            "route-command",
            () -> new RouteCommand(validator, partitions, clock),
            "commands",
            "platform-commands")
        .addSource(
            "commands-by-user",
            serdes.keySerde(byUser).deserializer(),
            serdes.valueSerde(byUser).deserializer(),
            byUser.name())
        .addProcessor("skip-seen-commands", () -> new SkipSeenCommands(clock), "commands-by-user")
        .addStateStore(seenCommands(), "route-command", "skip-seen-commands")
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
            "release-phone");
    serdes.addSink(topology, TO_COMMANDS, commands, "route-command");
    serdes.addSink(topology, TO_COMMANDS_BY_USER, byUser, "route-command");
    serdes.addSink(topology, ROUTER_RESULTS, results, "route-command");
    PlatformDoor.addResultsSink(topology, serdes, ROUTER_DOOR_RESULTS, "route-command");

    topology
        .addProcessor(
            DECIDE,
            () -> new DecideCommand(decider, sealing, clock),
            "route-command",
            "skip-seen-commands")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(USERS),
                    Serdes.String(),
                    serdes.value(UserAggregate.class))
                // holds each user's wrapped key: compact a deletion away as fast as users.keys
                .withLoggingEnabled(Topics.USER_KEYS.configs()),
            DECIDE);
    LatestByKey.addTo(topology, serdes, Topics.OFAC_SCREENINGS, OFAC_STATUSES, DECIDE);
    serdes.addSink(topology, TO_EVENTS, Topics.USER_EVENTS, DECIDE);
    serdes.addSink(topology, TO_USER_KEYS, Topics.USER_KEYS, DECIDE);
    serdes.addSink(topology, TO_PHONE_RELEASES, releases, DECIDE);
    serdes.addSink(topology, TO_SMS, Topics.SMS, DECIDE);
    serdes.addSink(topology, DECIDER_RESULTS, results, DECIDE);
    PlatformDoor.addResultsSink(topology, serdes, DECIDER_DOOR_RESULTS, DECIDE);

    return topology;
  }

  private static StoreBuilder<WindowStore<String, Long>> seenCommands() {
    return Stores.windowStoreBuilder(
        Stores.persistentWindowStore(SEEN_COMMANDS, SeenCommands.RETENTION, DayWindows.DAY, false),
        Serdes.String(),
        Serdes.Long());
  }
}
