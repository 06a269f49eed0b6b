package io.userpipe.ofac.topology;

import io.userpipe.ofac.match.MatcherVersion;
import io.userpipe.ofac.match.ScreeningIndex;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.RetentionKeys;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.streams.LatestByKey;
import io.userpipe.runtime.streams.PlatformDoor;
import io.userpipe.schemas.OfacUserState;
import io.userpipe.schemas.Topics;
import java.time.Clock;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * ofac-screener, top to bottom (co-partitioned by user id; the list index comes from {@code
 * ofac.lists} through {@link io.userpipe.ofac.list.ListFollower}):
 *
 * <pre>
 * users.keys    ─▶ record-user-keys [user-keys]
 * users.events  ─┐
 * ofac.commands ─┼▶ screen-users [user-keys, ofac-users, ofac-pending, ofac-progress] ─┬─▶ ofac.screenings
 * ofac.reviews  ─┘  (+ a timer: users waiting for their key, re-screening)              └─▶ users.command-results
 * </pre>
 *
 * <p>Every status change names whom it was about, sealed under a retention key ({@code
 * retention.keys}, followed beside the app), so it outlives the person's erasure.
 *
 * <p>A reviewer's decision is taken only from {@code ofac.reviews}, the operators' topic; one sent
 * on {@code ofac.commands}, the platforms' topic, is rejected.
 */
public final class OfacScreenerTopology {
  public static final String USER_KEYS = "user-keys";
  public static final String USERS = "ofac-users";
  public static final String PENDING = "ofac-pending";
  public static final String PROGRESS = "ofac-progress";
  static final String TO_SCREENINGS = "screenings";
  static final String TO_RESULTS = "results";
  static final String TO_DOOR_RESULTS = "door-results";

  private OfacScreenerTopology() {}

  public static Topology build(
      AvroSerdes serdes,
      DataKeys dataKeys,
      RetentionKeys retention,
      Supplier<ScreeningIndex> index,
      double threshold,
      int batch,
      Clock clock) {
    return build(
        serdes, dataKeys, retention, index, () -> MatcherVersion.CURRENT, threshold, batch, clock);
  }

  /** As above, with the matcher version screening (a test changes it to re-screen). */
  public static Topology build(
      AvroSerdes serdes,
      DataKeys dataKeys,
      RetentionKeys retention,
      Supplier<ScreeningIndex> index,
      Supplier<String> matcherVersion,
      double threshold,
      int batch,
      Clock clock) {
    var topology = new Topology();
    serdes.addSource(topology, "user-events", Topics.USER_EVENTS);
    serdes.addSource(topology, "ofac-commands", Topics.OFAC_COMMANDS);
    topology.addSource(
        "platform-ofac-commands",
        serdes.keySerde(Topics.OFAC_COMMANDS).deserializer(),
        serdes.valueSerde(Topics.OFAC_COMMANDS).deserializer(),
        Topics.PLATFORM_OFAC_COMMANDS_PATTERN);
    serdes.addSource(topology, "ofac-reviews", Topics.OFAC_REVIEWS);
    topology
        .addProcessor(
            "screen-users",
            () ->
                new ScreenUsers(
                    index, matcherVersion, dataKeys, retention, threshold, batch, clock),
            "user-events",
            "ofac-commands",
            "platform-ofac-commands",
            "ofac-reviews")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(USERS),
                Serdes.String(),
                serdes.value(OfacUserState.class)),
            "screen-users")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING), Serdes.String(), Serdes.String()),
            "screen-users")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PROGRESS), Serdes.String(), Serdes.String()),
            "screen-users");
    LatestByKey.addTo(topology, serdes, Topics.USER_KEYS, USER_KEYS, "screen-users");
    serdes.addSink(topology, TO_SCREENINGS, Topics.OFAC_SCREENINGS, "screen-users");
    serdes.addSink(topology, TO_RESULTS, Topics.COMMAND_RESULTS, "screen-users");
    PlatformDoor.addResultsSink(topology, serdes, TO_DOOR_RESULTS, "screen-users");
    return topology;
  }
}
