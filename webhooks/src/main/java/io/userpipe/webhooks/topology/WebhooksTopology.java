package io.userpipe.webhooks.topology;

import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.WebhookAudience;
import io.userpipe.schemas.WebhookEndpoint;
import io.userpipe.schemas.WebhookQueueState;
import io.userpipe.webhooks.domain.RetrySchedule;
import io.userpipe.webhooks.endpoints.EndpointDirectory;
import io.userpipe.webhooks.worker.Deliveries;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * webhooks, top to bottom (one sub-topology over co-partitioned topics, keyed by user id):
 *
 * <pre>
 * compliance.events ─┐
 * webhooks.attempts ─┴▶ deliver-webhooks [webhook-audience, webhook-queue, webhook-due] ─▶ worker
 *                       (+ a wall-clock timer starting due attempts)
 * </pre>
 *
 * <p>The worker posts outside the stream thread and writes each outcome to {@code
 * webhooks.attempts}, which comes back here. An endpoint whose retries gave up is disabled through
 * {@code disable} (the API's writer), not by a sink of this transaction: {@code webhooks.endpoints}
 * is followed by plain consumers ({@code CompactedTopicFollower}), which tell they have read it all
 * from offsets that a transaction's commit marker would leave short.
 */
public final class WebhooksTopology {

  public static final String AUDIENCE = "webhook-audience";
  public static final String QUEUES = "webhook-queue";
  public static final String DUE = "webhook-due";

  /** How the queues are driven: the retry schedule, an attempt's lease, the timer's period. */
  public record Settings(RetrySchedule schedule, Duration lease, Duration tick) {
    public static final Settings DEFAULT =
        new Settings(RetrySchedule.DEFAULT, Duration.ofMinutes(1), Duration.ofMillis(500));
  }

  private WebhooksTopology() {}

  public static Topology build(
      AvroSerdes serdes,
      EndpointDirectory endpoints,
      Consumer<WebhookEndpoint> disable,
      Deliveries worker,
      Settings settings,
      WebhookMetrics metrics,
      RandomGenerator random,
      Clock clock) {
    var topology = new Topology();
    serdes.addSource(topology, "compliance-events", Topics.COMPLIANCE_EVENTS);
    serdes.addSource(topology, "attempts", Topics.WEBHOOK_ATTEMPTS);
    topology
        .addProcessor(
            "deliver-webhooks",
            () -> new DeliverWebhooks(endpoints, disable, worker, settings, metrics, random, clock),
            "compliance-events",
            "attempts")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AUDIENCE),
                Serdes.String(),
                serdes.value(WebhookAudience.class)),
            "deliver-webhooks")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(QUEUES),
                Serdes.String(),
                serdes.value(WebhookQueueState.class)),
            "deliver-webhooks")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DUE), Serdes.String(), Serdes.String()),
            "deliver-webhooks");
    return topology;
  }
}
