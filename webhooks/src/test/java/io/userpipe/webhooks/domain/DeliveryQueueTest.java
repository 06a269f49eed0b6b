package io.userpipe.webhooks.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.webhooks.domain.DeliveryQueue.AttemptStarted;
import io.userpipe.webhooks.domain.DeliveryQueue.Command;
import io.userpipe.webhooks.domain.DeliveryQueue.Delivered;
import io.userpipe.webhooks.domain.DeliveryQueue.Enqueue;
import io.userpipe.webhooks.domain.DeliveryQueue.Event;
import io.userpipe.webhooks.domain.DeliveryQueue.GaveUp;
import io.userpipe.webhooks.domain.DeliveryQueue.Outcome;
import io.userpipe.webhooks.domain.DeliveryQueue.Replay;
import io.userpipe.webhooks.domain.DeliveryQueue.RetryScheduled;
import io.userpipe.webhooks.domain.DeliveryQueue.State;
import io.userpipe.webhooks.domain.DeliveryQueue.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One person's queue for one endpoint, given/when/then. */
class DeliveryQueueTest {

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  private final DeliveryQueue queue = new DeliveryQueue(RetrySchedule.DEFAULT, new Random(3));
  private State state = State.EMPTY;

  private List<Event> when(Command command) {
    List<Event> events = queue.decide(state, command);
    for (Event event : events) {
      state = DeliveryQueue.evolve(state, event);
    }
    return events;
  }

  private void given(Command... commands) {
    for (Command c : commands) {
      when(c);
    }
  }

  @Test
  void onlyTheHeadIsInFlightSoEventsArriveInOrder() {
    given(new Enqueue("e1", T0), new Enqueue("e2", T0));

    assertEquals(List.of(new AttemptStarted("e1", 1, T0)), when(new Tick(T0)));
    assertEquals(List.of(), when(new Tick(T0.plusSeconds(1))), "e2 waits for e1");
    assertEquals(
        List.of(new Delivered("e1", T0.plusSeconds(1))),
        when(new Outcome("e1", true, T0.plusSeconds(1))));
    assertEquals(
        List.of(new AttemptStarted("e2", 1, T0.plusSeconds(2))), when(new Tick(T0.plusSeconds(2))));
  }

  @Test
  void aFailingThenRecoveringEndpointGetsTheSameEventAgainThenTheNext() {
    given(new Enqueue("e1", T0), new Enqueue("e2", T0), new Tick(T0));

    var retry = when(new Outcome("e1", false, T0.plusSeconds(1)));
    var due = assertInstanceOf(RetryScheduled.class, retry.get(0)).dueAt();
    assertEquals(List.of(), when(new Tick(due.minusMillis(1))), "not before it is due");
    assertEquals(List.of(new AttemptStarted("e1", 2, due)), when(new Tick(due)));
    when(new Outcome("e1", true, due.plusSeconds(1)));

    assertEquals(
        List.of(new AttemptStarted("e2", 1, due.plusSeconds(2))),
        when(new Tick(due.plusSeconds(2))));
  }

  @Test
  void afterAboutThreeDaysItGivesUpKeepsTheEventsAndAReplaySendsThemAgainInOrder() {
    given(new Enqueue("e1", T0), new Enqueue("e2", T0));
    Instant now = T0;
    Event last = null;
    while (!(last instanceof GaveUp)) {
      when(new Tick(now));
      last = when(new Outcome("e1", false, now)).get(0);
      if (last instanceof RetryScheduled r) {
        now = r.dueAt();
      }
    }
    assertTrue(Duration.between(T0, now).compareTo(RetrySchedule.GIVE_UP_AFTER) <= 0);
    assertTrue(Duration.between(T0, now).compareTo(Duration.ofDays(2)) > 0);
    assertEquals(List.of(), when(new Tick(now.plus(Duration.ofDays(1)))), "nothing while failed");
    assertEquals(List.of("e1", "e2"), state.eventIds());

    Instant replayAt = now.plus(Duration.ofDays(2));
    when(new Replay(replayAt));

    assertEquals(List.of(new AttemptStarted("e1", 1, replayAt)), when(new Tick(replayAt)));
  }

  @Test
  void anEventEnqueuedTwiceOrAnOutcomeReportedTwiceCountsOnce() {
    given(new Enqueue("e1", T0), new Enqueue("e1", T0), new Tick(T0));
    assertEquals(List.of("e1"), state.eventIds());

    when(new Outcome("e1", true, T0));
    assertEquals(List.of(), when(new Outcome("e1", true, T0)));
    assertEquals(List.of(), state.eventIds());
  }

  @Test
  void anAttemptLostInACrashIsMadeAgainWithTheSameEvent() {
    // the service died after starting the attempt: on restart the worker reports it failed
    given(new Enqueue("e1", T0), new Tick(T0));
    var retry = when(new Outcome("e1", false, T0.plusSeconds(20)));
    var due = assertInstanceOf(RetryScheduled.class, retry.get(0)).dueAt();

    assertEquals(List.of(new AttemptStarted("e1", 2, due)), when(new Tick(due)));
  }
}
