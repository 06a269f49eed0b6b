package io.userpipe.projections.topology;

import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserView;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * projections, top to bottom:
 *
 * <pre>
 * users.events          ─▶ fold-user-view        [users-by-id]
 * users.command-results ─▶ record-command-status [command-status]
 * </pre>
 */
public final class ProjectionsTopology {

  public static final String USERS_BY_ID = "users-by-id";
  public static final String COMMAND_STATUS = "command-status";

  private ProjectionsTopology() {}

  public static Topology build(AvroSerdes serdes) {
    var events = Topics.USER_EVENTS;
    var results = Topics.COMMAND_RESULTS;
    var topology = new Topology();

    topology
        .addSource(
            "user-events",
            serdes.keySerde(events).deserializer(),
            serdes.valueSerde(events).deserializer(),
            events.name())
        .addProcessor("fold-user-view", FoldUserView::new, "user-events")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(USERS_BY_ID),
                Serdes.String(),
                serdes.value(UserView.class)),
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
