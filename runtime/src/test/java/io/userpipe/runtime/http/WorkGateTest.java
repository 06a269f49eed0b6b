package io.userpipe.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkGateTest {

  /** Runs {@code work} as a request of {@code caller} through {@code gate}, on its own thread. */
  private static Thread request(WorkGate gate, String caller, Runnable work) {
    Thread t =
        new Thread(
            () -> {
              gate.serving(true);
              try {
                WorkGate.enter(caller);
                work.run();
              } finally {
                WorkGate.leave();
                gate.serving(false);
              }
            });
    t.start();
    return t;
  }

  private static void awaitWaiting(WorkGate gate, int n) throws InterruptedException {
    for (int i = 0; i < 500 && gate.waiting() < n; i++) {
      Thread.sleep(10);
    }
    assertEquals(n, gate.waiting(), "requests waiting for their turn");
  }

  @Test
  void aFloodingPlatformQueuesBehindItselfNotInFrontOfAnother() throws Exception {
    var gate = new WorkGate(1, Duration.ofSeconds(30));
    var release = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    Thread holder = request(gate, "flood", () -> await(release));
    awaitBusy(gate, 1);
    var threads = new java.util.ArrayList<Thread>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      threads.add(request(gate, "flood", () -> order.add("flood-" + n)));
      awaitWaiting(gate, i + 1);
    }
    threads.add(request(gate, "calm", () -> order.add("calm")));
    awaitWaiting(gate, 6);

    release.countDown();
    holder.join(5_000);
    for (Thread t : threads) {
      t.join(5_000);
    }

    assertEquals(6, order.size(), "every request had its turn: " + order);
    assertEquals("flood-0", order.get(0));
    assertEquals("calm", order.get(1), "the calm platform's request goes second: " + order);
    assertEquals(List.of("flood-1", "flood-2", "flood-3", "flood-4"), order.subList(2, 6));
    assertEquals(0, gate.busy(), "every place given back");
  }

  @Test
  void aRequestThatWaitedTooLongIsAnswered503WithRetryAfter() throws Exception {
    var gate = new WorkGate(1, Duration.ofMillis(200));
    var release = new CountDownLatch(1);
    Thread holder = request(gate, "a", () -> await(release));
    awaitBusy(gate, 1);
    gate.serving(true);
    try {
      var refused = assertThrows(ApiException.class, () -> WorkGate.enter("b"));
      assertEquals(503, refused.status());
      assertEquals("1", refused.headers().get("Retry-After"));
      assertTrue(refused.getMessage().contains("waited"), refused.getMessage());
    } finally {
      WorkGate.leave();
      gate.serving(false);
    }
    assertEquals(0, gate.waiting(), "the refused request left the queue");
    release.countDown();
    holder.join(5_000);
    assertEquals(0, gate.busy());
  }

  @Test
  void aRequestWaitingAwayGivesItsPlaceToTheNext() throws Exception {
    var gate = new WorkGate(1, Duration.ofSeconds(30));
    var other = new CountDownLatch(1);
    var working = new CountDownLatch(1);
    Thread idler =
        request(
            gate,
            "a",
            () -> {
              working.countDown();
              try {
                // while idle, b's request (queued below) gets the only place and runs
                while (other.getCount() > 0) {
                  WorkGate.away(
                      () -> {
                        Thread.sleep(20);
                        return null;
                      });
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    assertTrue(working.await(10, TimeUnit.SECONDS), "a at work");
    Thread b = request(gate, "b", other::countDown);
    assertTrue(other.await(10, TimeUnit.SECONDS), "b ran while a idled");
    idler.join(5_000);
    b.join(5_000);
    assertEquals(0, gate.busy());
  }

  /**
   * A request waiting on another process (another instance's view) holds no place meanwhile: the
   * next request runs while it waits, and it gets its place back, with the call's answer, after.
   */
  @Test
  void aRequestWaitingOnAnotherProcessGivesItsPlaceToTheNext() throws Exception {
    var gate = new WorkGate(1, Duration.ofSeconds(30));
    var remoteAnswers = new CountDownLatch(1);
    var other = new CountDownLatch(1);
    var away = new CountDownLatch(1);
    List<String> answers = new CopyOnWriteArrayList<>();
    Thread waiting =
        request(
            gate,
            "a",
            () ->
                answers.add(
                    WorkGate.away(
                        () -> {
                          away.countDown();
                          await(remoteAnswers); // the other instance, answering when it can
                          return "remote view";
                        })));
    assertTrue(away.await(10, TimeUnit.SECONDS), "a asked the other process");
    assertEquals(0, gate.busy(), "a holds no place while it waits");
    Thread b = request(gate, "b", other::countDown);
    assertTrue(other.await(10, TimeUnit.SECONDS), "b ran while a waited on the other process");
    b.join(5_000);
    remoteAnswers.countDown();
    waiting.join(5_000);
    assertEquals(List.of("remote view"), answers);
    assertEquals(0, gate.busy(), "every place given back");
  }

  @Test
  void outsideARequestEnteringIsNothing() {
    WorkGate.enter("anyone"); // no gate on this thread: nothing to wait for, nothing held
    WorkGate.leave();
  }

  private static void awaitBusy(WorkGate gate, int n) throws InterruptedException {
    for (int i = 0; i < 500 && gate.busy() < n; i++) {
      Thread.sleep(10);
    }
    assertEquals(n, gate.busy(), "requests at work");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
