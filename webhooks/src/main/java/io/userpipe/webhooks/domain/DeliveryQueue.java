package io.userpipe.webhooks.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The queue of one person's events for one endpoint, as a pure decider: {@code decide(state,
 * command) → events}, {@code evolve(state, event) → state}, time an argument. Only the head is ever
 * in flight, so a person's events reach an endpoint in order; a failed head is tried again on the
 * {@link RetrySchedule} and everything behind it waits; once the schedule gives up the queue is
 * {@code failed} (the endpoint is to be disabled) and keeps its events until a replay. Other
 * people's queues, and other endpoints', are other states: nothing here waits on them.
 */
public final class DeliveryQueue {

  /** One person's queue for one endpoint. */
  public record State(
      List<String> eventIds,
      boolean inFlight,
      int failedAttempts,
      Instant firstAttemptAt,
      Instant dueAt,
      boolean failed) {

    public static final State EMPTY = new State(List.of(), false, 0, null, null, false);

    public State {
      eventIds = List.copyOf(eventIds);
    }

    public Optional<String> head() {
      return eventIds.isEmpty() ? Optional.empty() : Optional.of(eventIds.get(0));
    }
  }

  public sealed interface Command {}

  /** A new event for this person and endpoint. */
  public record Enqueue(String eventId, Instant at) implements Command {}

  /** The timer: start the head's attempt if it is due. */
  public record Tick(Instant now) implements Command {}

  /** What the head's attempt came to; {@code ok} for a 2xx in time. */
  public record Outcome(String eventId, boolean ok, Instant at) implements Command {}

  /** The platform asks for the failed events again (after re-enabling the endpoint). */
  public record Replay(Instant now) implements Command {}

  public sealed interface Event {}

  public record Enqueued(String eventId) implements Event {}

  public record AttemptStarted(String eventId, int attempt, Instant at) implements Event {}

  public record Delivered(String eventId, Instant at) implements Event {}

  public record RetryScheduled(String eventId, Instant dueAt) implements Event {}

  /** The schedule gave up: the endpoint is to be disabled, its queue kept for a replay. */
  public record GaveUp(String eventId, Instant at) implements Event {}

  public record Replayed(Instant at) implements Event {}

  private final RetrySchedule schedule;
  private final RandomGenerator random;

  public DeliveryQueue(RetrySchedule schedule, RandomGenerator random) {
    this.schedule = schedule;
    this.random = random;
  }

  public List<Event> decide(State state, Command command) {
    if (command instanceof Enqueue e) {
      // a replay of compliance.events after a crash: at most once in the queue
      return state.eventIds().contains(e.eventId())
          ? List.of()
          : List.of(new Enqueued(e.eventId()));
    }
    if (command instanceof Tick t) {
      var head = state.head();
      boolean waiting = state.dueAt() != null && state.dueAt().isAfter(t.now());
      if (head.isEmpty() || state.inFlight() || state.failed() || waiting) {
        return List.of();
      }
      return List.of(new AttemptStarted(head.get(), state.failedAttempts() + 1, t.now()));
    }
    if (command instanceof Outcome o) {
      if (!state.inFlight() || !state.head().equals(Optional.of(o.eventId()))) {
        return List.of(); // an outcome of an attempt already settled (a duplicate)
      }
      if (o.ok()) {
        return List.of(new Delivered(o.eventId(), o.at()));
      }
      Instant first = state.firstAttemptAt() == null ? o.at() : state.firstAttemptAt();
      var next = schedule.next(state.failedAttempts() + 1, Duration.between(first, o.at()), random);
      return next.isPresent()
          ? List.of(new RetryScheduled(o.eventId(), o.at().plus(next.get())))
          : List.of(new GaveUp(o.eventId(), o.at()));
    }
    Replay r = (Replay) command;
    return state.failed() ? List.of(new Replayed(r.now())) : List.of();
  }

  public static State evolve(State state, Event event) {
    if (event instanceof Enqueued e) {
      var ids = new ArrayList<>(state.eventIds());
      ids.add(e.eventId());
      return new State(
          ids,
          state.inFlight(),
          state.failedAttempts(),
          state.firstAttemptAt(),
          state.dueAt(),
          state.failed());
    }
    if (event instanceof AttemptStarted a) {
      Instant first = state.firstAttemptAt() == null ? a.at() : state.firstAttemptAt();
      return new State(state.eventIds(), true, state.failedAttempts(), first, state.dueAt(), false);
    }
    if (event instanceof Delivered) {
      var rest = state.eventIds().subList(1, state.eventIds().size());
      return new State(rest, false, 0, null, null, false);
    }
    if (event instanceof RetryScheduled r) {
      return new State(
          state.eventIds(),
          false,
          state.failedAttempts() + 1,
          state.firstAttemptAt(),
          r.dueAt(),
          false);
    }
    if (event instanceof GaveUp) {
      return new State(
          state.eventIds(), false, state.failedAttempts() + 1, state.firstAttemptAt(), null, true);
    }
    Replayed r = (Replayed) event;
    return new State(state.eventIds(), false, 0, null, r.at(), false);
  }
}
