package io.userpipe.projections.topology;

import io.userpipe.projections.rebuild.ReplayBoundary;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.streams.LatestByKey;
import io.userpipe.schemas.ComplianceHistory;
import io.userpipe.schemas.SmsDelivery;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserView;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * projections, top to bottom:
 *
 * <pre>
 * users.events          ─▶ fold-user-view        [users-by-id, users-by-platform] ─┐
 * tin.verifications     ─▶ fold-tin-verification [users-by-id, tin-statuses] ─────┤
 * ofac.screenings       ─▶ fold-ofac-screening   [users-by-id, ofac-statuses,        ┴▶ compliance.events
 *                                                ofac-review-queue]
 * tin.verifications,
 * ofac.screenings       ─▶ fold-compliance-history [compliance-history]
 * users.keys            ─▶ record-user-keys      [user-keys]
 * users.command-results ─▶ record-command-status [command-statuses]
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
  public static final String OFAC_STATUSES = "ofac-statuses";
  public static final String OFAC_REVIEW_QUEUE = "ofac-review-queue";
  public static final String TIN_STATUSES = "tin-statuses";
  public static final String COMMAND_STATUSES = "command-statuses";
  public static final String COMPLIANCE_HISTORY = "compliance-history";

  /** Code deliveries read before their user's creation (a replay), until the creation comes. */
  public static final String EARLY_CODE_DELIVERIES = "early-code-deliveries";

  private ProjectionsTopology() {}

  /** The topology of a service that publishes every compliance event it folds. */
  public static Topology build(AvroSerdes serdes) {
    return build(serdes, ReplayBoundary.none());
  }

  /**
   * The topology of a service replaying after a rebuild: records before {@code replay}'s marks are
   * folded, but their compliance events are not published again.
   */
  public static Topology build(AvroSerdes serdes, ReplayBoundary replay) {
    return build(serdes, replay, ViewChanges.NONE);
  }

  /**
   * The same, telling {@code changes} of every user view, user key and command result it writes
   * (the HTTP door's awaited answers look again then).
   */
  public static Topology build(AvroSerdes serdes, ReplayBoundary replay, ViewChanges changes) {
    var topology = new Topology();
    serdes.addSource(topology, "user-events", Topics.USER_EVENTS);
    serdes.addSource(topology, "command-results", Topics.COMMAND_RESULTS);
    serdes.addSource(topology, "sms-deliveries", Topics.SMS_DELIVERIES);

    topology.addProcessor("fold-user-view", () -> new FoldUserView(replay, changes), "user-events");
    // Each user's latest verification and OFAC status are copies of their topics, kept by the folds
    // that read them: no changelogs, Kafka Streams restores them from the topics.
    LatestByKey.addFolded(
        topology,
        serdes,
        Topics.TIN_VERIFICATIONS,
        TIN_STATUSES,
        "fold-tin-verification",
        () -> new FoldTinVerification(replay, changes),
        "fold-user-view");
    LatestByKey.addFolded(
        topology,
        serdes,
        Topics.OFAC_SCREENINGS,
        OFAC_STATUSES,
        "fold-ofac-screening",
        () -> new FoldOfacScreening(replay, changes),
        "fold-user-view");
    topology
        // the last code's delivery, on the view (co-partitioned with users.events, by user id)
        .addProcessor("fold-sms-delivery", FoldSmsDelivery::new, "sms-deliveries")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(USERS_BY_ID),
                Serdes.String(),
                serdes.value(UserView.class)),
            "fold-user-view",
            "fold-tin-verification",
            "fold-ofac-screening",
            "fold-sms-delivery")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OFAC_REVIEW_QUEUE),
                Serdes.String(),
                Serdes.String()),
            "fold-user-view",
            "fold-ofac-screening")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(USERS_BY_PLATFORM),
                Serdes.String(),
                Serdes.String()),
            "fold-user-view")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EARLY_CODE_DELIVERIES),
                Serdes.String(),
                serdes.value(SmsDelivery.class)),
            "fold-user-view",
            "fold-sms-delivery");
    // Every status change with its evidence, for GET /v2/users/{id}/compliance/history.
    topology
        .addProcessor(
            "fold-compliance-history",
            FoldComplianceHistory::new,
            LatestByKey.sourceOf(TIN_STATUSES),
            LatestByKey.sourceOf(OFAC_STATUSES))
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(COMPLIANCE_HISTORY),
                Serdes.String(),
                serdes.value(ComplianceHistory.class)),
            "fold-compliance-history");
    LatestByKey.addTo(
        topology, serdes, Topics.USER_KEYS, USER_KEYS, changes::user, "fold-user-view");

    serdes.addSink(
        topology,
        "compliance-events",
        Topics.COMPLIANCE_EVENTS,
        "fold-user-view",
        "fold-tin-verification",
        "fold-ofac-screening");

    topology
        .addProcessor(
            "record-command-status", () -> new RecordCommandStatus(changes), "command-results")
        .addStateStore(CommandStatuses.store(serdes), "record-command-status");

    return topology;
  }
}
