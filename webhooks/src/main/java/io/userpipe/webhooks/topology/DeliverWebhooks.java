package io.userpipe.webhooks.topology;

import io.userpipe.runtime.streams.DueIndex;
import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.WebhookAttempt;
import io.userpipe.schemas.WebhookAudience;
import io.userpipe.schemas.WebhookEndpoint;
import io.userpipe.schemas.WebhookEndpointStatus;
import io.userpipe.schemas.WebhookQueueState;
import io.userpipe.schemas.WebhookQueuedEvent;
import io.userpipe.webhooks.domain.Audience;
import io.userpipe.webhooks.domain.ComplianceChange;
import io.userpipe.webhooks.domain.DeliveryQueue;
import io.userpipe.webhooks.domain.Endpoint;
import io.userpipe.webhooks.domain.WebhookPayload;
import io.userpipe.webhooks.endpoints.EndpointDirectory;
import io.userpipe.webhooks.worker.Deliveries;
import io.userpipe.webhooks.worker.Delivery;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The thin processor around {@link Audience} and {@link DeliveryQueue}: a compliance event is
 * queued for every enabled endpoint, subscribed to its type, of every platform that may hear of it;
 * a timer hands each due queue's head to the worker; the worker's outcome (read back from {@code
 * webhooks.attempts}) pops the head or schedules its retry. Queues and their due times are in
 * stores (changelogged, exactly-once), so a restart loses nothing: an attempt whose outcome never
 * came (its process died) counts as failed once its lease ends, and is made again with the same
 * {@code webhook-id}.
 */
final class DeliverWebhooks implements Processor<String, Object, String, Object> {

  /** How long a queue waits before asking again when its endpoint is busy or disabled. */
  static final Duration BUSY = Duration.ofSeconds(1);

  static final Duration DISABLED = Duration.ofSeconds(5);

  private final EndpointDirectory endpoints;
  private final Consumer<WebhookEndpoint> disabled;
  private final Deliveries worker;
  private final WebhooksTopology.Settings settings;
  private final WebhookMetrics metrics;
  private final DeliveryQueue decider;
  private final Clock clock;
  private final Map<String, Instant> replaysSeen = new HashMap<>();
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, WebhookAudience> audiences;
  private KeyValueStore<String, WebhookQueueState> queues;
  private KeyValueStore<String, String> due;

  DeliverWebhooks(
      EndpointDirectory endpoints,
      Consumer<WebhookEndpoint> disabled,
      Deliveries worker,
      WebhooksTopology.Settings settings,
      WebhookMetrics metrics,
      RandomGenerator random,
      Clock clock) {
    this.endpoints = endpoints;
    this.disabled = disabled;
    this.worker = worker;
    this.settings = settings;
    this.metrics = metrics;
    this.decider = new DeliveryQueue(settings.schedule(), random);
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    audiences = context.getStateStore(WebhooksTopology.AUDIENCE);
    queues = context.getStateStore(WebhooksTopology.QUEUES);
    due = context.getStateStore(WebhooksTopology.DUE);
    context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::onTimer);
  }

  @Override
  public void process(Record<String, Object> record) {
    if (record.value() instanceof ComplianceEvent event) {
      onEvent(event);
    } else if (record.value() instanceof WebhookAttempt attempt) {
      run(
          attempt.getEndpointId(),
          attempt.getUserId(),
          new DeliveryQueue.Outcome(attempt.getEventId(), attempt.getOk(), attempt.getAt()),
          clock.instant(),
          null);
    }
  }

  private void onEvent(ComplianceEvent event) {
    var change =
        new ComplianceChange(
            event.getEventId(),
            event.getUserId(),
            event.getType(),
            event.getPreviousStatus(),
            event.getNewStatus(),
            event.getOccurredAt(),
            event.getPlatformId());
    String userId = event.getUserId();
    WebhookAudience stored = audiences.get(userId);
    var state = new Audience.State(stored == null ? Set.of() : Set.copyOf(stored.getConnected()));
    var before = state.connected();
    List<String> platforms = Audience.decide(state, change);
    var after = Audience.evolve(state, change);
    if (after.connected().isEmpty()) {
      audiences.delete(userId);
    } else if (!after.connected().equals(before)) {
      audiences.put(userId, new WebhookAudience(new ArrayList<>(after.connected())));
    }
    if (platforms.isEmpty()) {
      return;
    }
    var queued =
        new WebhookQueuedEvent(
            change.eventId(),
            change.type(),
            change.occurredAt(),
            ByteBuffer.wrap(WebhookPayload.of(change)));
    Instant now = clock.instant();
    for (String platform : platforms) {
      for (Endpoint endpoint : endpoints.ofPlatform(platform)) {
        if (endpoint.receives(change.type(), change.occurredAt())) {
          run(endpoint.id(), userId, new DeliveryQueue.Enqueue(change.eventId(), now), now, queued);
        }
      }
    }
  }

  /** The durable timer: due queues start their head's attempt; lapsed leases count as failed. */
  private void onTimer(long wallClockMillis) {
    Instant now = Instant.ofEpochMilli(wallClockMillis);
    replayWhereAsked(now);
    var dueNow = new ArrayList<KeyValue<String, String>>();
    try (var it = due.range(DueIndex.from(), DueIndex.upTo(wallClockMillis))) {
      it.forEachRemaining(dueNow::add);
    }
    for (var entry : dueNow) {
      due.delete(entry.key);
      WebhookQueueState state = queues.get(entry.value);
      if (state == null) {
        continue;
      }
      Optional<Endpoint> endpoint = endpoints.find(state.getEndpointId());
      if (endpoint.isEmpty()) {
        queues.delete(entry.value); // the endpoint was deleted: its queues go with it
        continue;
      }
      DeliveryQueue.Command command;
      if (state.getInFlight()) {
        // the attempt's process died before its outcome was written: a failed attempt
        command =
            state.getLeaseUntil() != null && !state.getLeaseUntil().isAfter(now)
                ? new DeliveryQueue.Outcome(state.getEvents().get(0).getEventId(), false, now)
                : null;
      } else if (!endpoint.get().enabled()) {
        save(entry.value, state, deferred(state, now.plus(DISABLED)));
        continue;
      } else {
        command = new DeliveryQueue.Tick(now);
      }
      if (command == null) {
        save(entry.value, state, state);
      } else {
        run(state.getEndpointId(), state.getUserId(), command, now, null);
      }
    }
  }

  /**
   * A platform's replay (the endpoint's {@code replay_requested_at} moved): every queue of that
   * endpoint here that gave up before it starts again from its head.
   */
  private void replayWhereAsked(Instant now) {
    for (Endpoint endpoint : endpoints.all()) {
      Instant asked = endpoint.replayRequestedAt();
      if (asked == null || !endpoint.enabled() || asked.equals(replaysSeen.get(endpoint.id()))) {
        continue;
      }
      var failed = new ArrayList<WebhookQueueState>();
      try (var it = queues.prefixScan(endpoint.id() + "|", new StringSerializer())) {
        it.forEachRemaining(
            kv -> {
              if (kv.value.getFailed()
                  && kv.value.getGaveUpAt() != null
                  && kv.value.getGaveUpAt().isBefore(asked)) {
                failed.add(kv.value);
              }
            });
      }
      for (var state : failed) {
        run(endpoint.id(), state.getUserId(), new DeliveryQueue.Replay(now), now, null);
      }
      replaysSeen.put(endpoint.id(), asked);
    }
  }

  /** Loads a queue, asks the decider, hands a started attempt to the worker, saves. */
  private void run(
      String endpointId,
      String userId,
      DeliveryQueue.Command command,
      Instant now,
      WebhookQueuedEvent added) {
    String key = queueKey(endpointId, userId);
    WebhookQueueState stored = queues.get(key);
    WebhookQueueState state = stored == null ? empty(endpointId, userId) : stored;
    for (DeliveryQueue.Event event : decider.decide(toDomain(state), command)) {
      if (event instanceof DeliveryQueue.AttemptStarted a) {
        byte[] payload = bytes(state.getEvents().get(0).getPayload());
        if (!worker.offer(new Delivery(endpointId, userId, a.eventId(), a.attempt(), payload))) {
          state = deferred(state, now.plus(BUSY)); // its endpoint has its share in flight
          break;
        }
      }
      state = evolve(state, event, added);
      if (event instanceof DeliveryQueue.Enqueued) {
        metrics.enqueued.increment();
      } else if (event instanceof DeliveryQueue.Delivered) {
        metrics.delivered.increment();
      } else if (event instanceof DeliveryQueue.RetryScheduled) {
        metrics.retried.increment();
      } else if (event instanceof DeliveryQueue.GaveUp) {
        metrics.gaveUp.increment();
        disable(endpointId, now);
      }
    }
    save(key, stored, state);
  }

  /**
   * The schedule gave up: the endpoint is disabled until the platform enables it again. Written
   * beside the transaction, not in it ({@link WebhooksTopology}): a record reprocessed after a
   * crash disables it again, which changes nothing.
   */
  private void disable(String endpointId, Instant now) {
    endpoints
        .record(endpointId)
        .filter(e -> e.getStatus() == WebhookEndpointStatus.ENABLED)
        .ifPresent(
            e ->
                disabled.accept(
                    WebhookEndpoint.newBuilder(e)
                        .setStatus(WebhookEndpointStatus.DISABLED)
                        .setDisabledReason("failing")
                        .setChangedAt(now)
                        .build()));
  }

  private WebhookQueueState evolve(
      WebhookQueueState state, DeliveryQueue.Event event, WebhookQueuedEvent added) {
    DeliveryQueue.State next = DeliveryQueue.evolve(toDomain(state), event);
    var events = new ArrayList<>(state.getEvents());
    if (event instanceof DeliveryQueue.Enqueued) {
      events.add(added);
    } else if (event instanceof DeliveryQueue.Delivered) {
      events.remove(0);
    }
    Instant lease = state.getLeaseUntil();
    if (event instanceof DeliveryQueue.AttemptStarted a) {
      lease = a.at().plus(settings.lease());
    } else if (!next.inFlight()) {
      lease = null;
    }
    Instant gaveUp = state.getGaveUpAt();
    if (event instanceof DeliveryQueue.GaveUp g) {
      gaveUp = g.at();
    } else if (event instanceof DeliveryQueue.Replayed) {
      gaveUp = null;
    }
    return WebhookQueueState.newBuilder(state)
        .setEvents(events)
        .setInFlight(next.inFlight())
        .setFailedAttempts(next.failedAttempts())
        .setFirstAttemptAt(next.firstAttemptAt())
        .setDueAt(next.dueAt())
        .setLeaseUntil(lease)
        .setFailed(next.failed())
        .setGaveUpAt(gaveUp)
        .build();
  }

  /** Not before {@code at}: its endpoint is busy or disabled. */
  private static WebhookQueueState deferred(WebhookQueueState state, Instant at) {
    return WebhookQueueState.newBuilder(state).setDueAt(at).build();
  }

  /** Stores the queue (an empty one is deleted) and keeps the due index in step with it. */
  private void save(String key, WebhookQueueState before, WebhookQueueState after) {
    if (before != null) {
      dueAt(before).ifPresent(at -> due.delete(DueIndex.key(at, key)));
    }
    if (after.getEvents().isEmpty() && !after.getInFlight()) {
      queues.delete(key);
      return;
    }
    dueAt(after).ifPresent(at -> due.put(DueIndex.key(at, key), key));
    queues.put(key, after);
  }

  /**
   * When the timer is to look at a queue: at its lease's end while in flight, at its retry time, at
   * once (the epoch) when its head waits for nothing; never once it gave up or is empty.
   */
  static Optional<Instant> dueAt(WebhookQueueState s) {
    if (s.getEvents().isEmpty() || s.getFailed()) {
      return Optional.empty();
    }
    if (s.getInFlight()) {
      return Optional.ofNullable(s.getLeaseUntil());
    }
    return Optional.of(s.getDueAt() == null ? Instant.EPOCH : s.getDueAt());
  }

  static String queueKey(String endpointId, String userId) {
    return endpointId + "|" + userId;
  }

  private static WebhookQueueState empty(String endpointId, String userId) {
    return WebhookQueueState.newBuilder()
        .setEndpointId(endpointId)
        .setUserId(userId)
        .setEvents(List.of())
        .setInFlight(false)
        .setFailedAttempts(0)
        .setFailed(false)
        .build();
  }

  private static DeliveryQueue.State toDomain(WebhookQueueState s) {
    return new DeliveryQueue.State(
        s.getEvents().stream().map(WebhookQueuedEvent::getEventId).toList(),
        s.getInFlight(),
        s.getFailedAttempts(),
        s.getFirstAttemptAt(),
        s.getDueAt(),
        s.getFailed());
  }

  private static byte[] bytes(ByteBuffer buffer) {
    var copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
