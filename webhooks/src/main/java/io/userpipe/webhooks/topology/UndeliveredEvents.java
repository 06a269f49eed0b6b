package io.userpipe.webhooks.topology;

import io.userpipe.schemas.WebhookQueueState;
import io.userpipe.schemas.WebhookQueuedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The events an endpoint has not received, read from this instance's queues (interactive queries on
 * {@code webhook-queue}, keys {@code endpoint|user}): those of queues that gave up first, then
 * those still waiting. With several instances each holds its own partitions' queues: this lists the
 * local ones (see docs/WEBHOOKS.md).
 */
public final class UndeliveredEvents {

  /** One undelivered event. */
  public record Undelivered(
      String eventId,
      String userId,
      String type,
      Instant occurredAt,
      int failedAttempts,
      Instant gaveUpAt) {}

  private final Supplier<KafkaStreams> streams;

  public UndeliveredEvents(Supplier<KafkaStreams> streams) {
    this.streams = streams;
  }

  /** Up to {@code limit + 1} of them, so that the caller can tell there are more. */
  public List<Undelivered> of(String endpointId, int limit) {
    ReadOnlyKeyValueStore<String, WebhookQueueState> store;
    try {
      store =
          streams
              .get()
              .store(
                  StoreQueryParameters.fromNameAndType(
                      WebhooksTopology.QUEUES, QueryableStoreTypes.keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw new IllegalStateException("the queues are not readable yet (rebalancing)", e);
    }
    return list(store, endpointId, limit);
  }

  static List<Undelivered> list(
      ReadOnlyKeyValueStore<String, WebhookQueueState> store, String endpointId, int limit) {
    var failed = new ArrayList<Undelivered>();
    var waiting = new ArrayList<Undelivered>();
    try (var it = store.prefixScan(endpointId + "|", new StringSerializer())) {
      while (it.hasNext() && failed.size() + waiting.size() <= limit) {
        WebhookQueueState q = it.next().value;
        for (WebhookQueuedEvent e : q.getEvents()) {
          var u =
              new Undelivered(
                  e.getEventId(),
                  q.getUserId(),
                  e.getType(),
                  e.getOccurredAt(),
                  q.getFailedAttempts(),
                  q.getGaveUpAt());
          (q.getFailed() ? failed : waiting).add(u);
        }
      }
    }
    failed.addAll(waiting);
    return failed.size() > limit + 1 ? failed.subList(0, limit + 1) : failed;
  }
}
