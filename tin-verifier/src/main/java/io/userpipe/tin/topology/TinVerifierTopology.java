package io.userpipe.tin.topology;

import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.RetentionKeys;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.streams.LatestByKey;
import io.userpipe.schemas.TinSubmissionState;
import io.userpipe.schemas.Topics;
import io.userpipe.tin.domain.RetryPolicy;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * tin-verifier, top to bottom (one sub-topology over co-partitioned topics, keyed by user id):
 *
 * <pre>
 * users.keys    ─▶ record-user-keys [user-keys]
 * users.events  ─┐
 * tin.responses ─┴▶ verify-tins [user-keys, tin-submissions, tin-due] ─┬─▶ tin.verifications
 *                   (+ a wall-clock timer asking again when due)        └─▶ tin.requests ─▶ worker
 * </pre>
 *
 * <p>Every status change names whom it was about (name, TIN type, last four), sealed under a
 * retention key ({@code retention.keys}, followed beside the app), so it outlives the person's
 * erasure.
 */
public final class TinVerifierTopology {

  public static final String USER_KEYS = "user-keys";
  public static final String SUBMISSIONS = "tin-submissions";
  public static final String DUE = "tin-due";

  static final String TO_VERIFICATIONS = "verifications";
  static final String TO_REQUESTS = "requests";

  private TinVerifierTopology() {}

  public static Topology build(
      AvroSerdes serdes,
      DataKeys dataKeys,
      RetentionKeys retention,
      RetryPolicy retries,
      Clock clock) {
    var topology = new Topology();
    serdes.addSource(topology, "user-events", Topics.USER_EVENTS);
    serdes.addSource(topology, "tin-responses", Topics.TIN_RESPONSES);
    topology
        .addProcessor(
            "verify-tins",
            () -> new VerifyTins(dataKeys, retention, retries, clock),
            "user-events",
            "tin-responses")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SUBMISSIONS),
                Serdes.String(),
                serdes.value(TinSubmissionState.class)),
            "verify-tins")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DUE), Serdes.String(), Serdes.String()),
            "verify-tins");
    LatestByKey.addTo(topology, serdes, Topics.USER_KEYS, USER_KEYS, "verify-tins");
    serdes.addSink(topology, TO_VERIFICATIONS, Topics.TIN_VERIFICATIONS, "verify-tins");
    serdes.addSink(topology, TO_REQUESTS, Topics.TIN_REQUESTS, "verify-tins");
    return topology;
  }
}
