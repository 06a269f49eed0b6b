package io.userpipe.projections.topology;

import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserView;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * projections, top to bottom:
 *
 * <pre>
 * users.events          ─▶ fold-user-view        [users-by-id, users-by-platform]
 * users.keys            ─▶ record-user-key       [user-keys]
 * users.command-results ─▶ record-command-status [command-status]
 * </pre>
 *
 * The user's key is kept in the same task as the user's view (the store is attached to both
 * processors, so they form one sub-topology over co-partitioned topics): whoever answers for a
 * user's view can open its personal data.
 */
public final class ProjectionsTopology {

  public static final String USERS_BY_ID = "users-by-id";
  public static final String USERS_BY_PLATFORM = "users-by-platform";
  public static final String USER_KEYS = "user-keys";
  public static final String COMMAND_STATUS = "command-status";

  private ProjectionsTopology() {}

  public static Topology build(AvroSerdes serdes) {
    var events = Topics.USER_EVENTS;
    var keys = Topics.USER_KEYS;
    var results = Topics.COMMAND_RESULTS;
    var topology = new Topology();

    topology
        .addSource(
            "user-events",
            serdes.keySerde(events).deserializer(),
            serdes.valueSerde(events).deserializer(),
            events.name())
        .addProcessor("fold-user-view", FoldUserView::new, "user-events")
        .addSource(
            "user-keys-source",
            serdes.keySerde(keys).deserializer(),
            serdes.valueSerde(keys).deserializer(),
            keys.name())
        .addProcessor("record-user-key", RecordUserKey::new, "user-keys-source")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(USERS_BY_ID),
                Serdes.String(),
                serdes.value(UserView.class)),
            "fold-user-view")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(USERS_BY_PLATFORM),
                Serdes.String(),
                Serdes.String()),
            "fold-user-view")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(USER_KEYS),
                    Serdes.String(),
                    serdes.value(EncryptedValue.class))
                // a deleted key must leave the changelog as soon as the source topic
                .withLoggingEnabled(Topics.USER_KEYS.configs()),
            "record-user-key",
            "fold-user-view");

    topology
        .addSource(
            "command-results",
            serdes.keySerde(results).deserializer(),
            serdes.valueSerde(results).deserializer(),
            results.name())
        .addProcessor("record-command-status", RecordCommandStatus::new, "command-results")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(COMMAND_STATUS),
                Serdes.String(),
                serdes.value(CommandResult.class)),
            "record-command-status");

    return topology;
  }
}
