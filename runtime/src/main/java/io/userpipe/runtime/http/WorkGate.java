package io.userpipe.runtime.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * How many requests do work at once, and whose turn is next.
 *
 * <p>The HTTP door has many threads because a write blocks while it waits for its command's result;
 * but on a few cores, dozens of threads reading views at once take the CPU from the stream threads
 * that decide the commands, and every caller's writes slow down (the soak measured it: 64 busy
 * readers held 40% of the CPU). So a request does its work only while it holds one of a few places
 * ({@code places}, half the cores by default). Requests that wait for a place are taken in turns,
 * one caller (a platform) after another, so one platform's flood queues behind itself, not in front
 * of another platform's requests. A request that waited {@code maxWait} for a place is answered 503
 * with {@code Retry-After}. A request that waits for something else (a command's result) gives its
 * place back meanwhile ({@link #away}); a write waiting for its command's result holds neither a
 * place nor a thread ({@link Response#later}).
 *
 * <p>A request enters once its caller is known ({@link #enter}, called by {@link
 * PlatformDirectory#authenticate}) and leaves when its answer is made ({@link #leave}, called by
 * {@link HttpService}). Requests that never authenticate (health, metrics, refusals) do not queue.
 */
public final class WorkGate {

  /**
   * The default number of places: half the cores, at least one, so that the stream threads (and, in
   * the local run, the broker) always have the other half. On the 2-core soak machine one place
   * kept the well-behaved p99 lower, and the storm's throughput higher, than two
   * (docs/RELIABILITY.md, "Soak").
   */
  public static final int DEFAULT_PLACES =
      Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  private static final ThreadLocal<Held> HELD = new ThreadLocal<>();

  /** The gate of the request this thread is serving, null outside a request. */
  private static final ThreadLocal<WorkGate> CURRENT = new ThreadLocal<>();

  private final int places;
  private final Duration maxWait;
  private int busy;

  /** Callers with waiting requests, in turn order; each caller's requests in arrival order. */
  private final LinkedHashMap<String, ArrayDeque<Waiter>> waiting = new LinkedHashMap<>();

  private record Held(WorkGate gate, String caller) {}

  private static final class Waiter {
    final Thread thread = Thread.currentThread();
    volatile boolean admitted;
  }

  public WorkGate(int places, Duration maxWait) {
    if (places < 1) {
      throw new IllegalArgumentException("a work gate needs at least one place");
    }
    this.places = places;
    this.maxWait = maxWait;
  }

  /** Makes this gate the one that requests served on this thread enter (HttpService). */
  void serving(boolean on) {
    if (on) {
      CURRENT.set(this);
    } else {
      CURRENT.remove();
    }
  }

  /**
   * Waits for a place for the request this thread serves, in {@code caller}'s turn; nothing when
   * the thread serves no request through a gate or holds a place already.
   *
   * @throws ApiException 503 with {@code Retry-After} after waiting {@code maxWait}
   */
  public static void enter(String caller) {
    WorkGate gate = CURRENT.get();
    if (gate != null && HELD.get() == null) {
      gate.acquire(caller);
      HELD.set(new Held(gate, caller));
    }
  }

  /** Gives back the place this thread holds, if any. */
  static void leave() {
    Held held = HELD.get();
    if (held != null) {
      HELD.remove();
      held.gate().release();
    }
  }

  /** A wait that holds no CPU: a sleep, a call to another process. */
  @FunctionalInterface
  public interface Wait<T, E extends Exception> {
    T call() throws E;
  }

  /**
   * Runs {@code wait} without holding a place: the place goes to the next request meanwhile, and is
   * waited for again, in the caller's turn, afterwards. For a request that waits on another process
   * (another instance's view, over the internal listener), whose place would otherwise sit idle on
   * a CPU that has nothing to do while other requests queue for it.
   */
  public static <T, E extends Exception> T away(Wait<T, E> wait) throws E {
    Held held = HELD.get();
    if (held == null) {
      return wait.call();
    }
    HELD.remove();
    held.gate().release();
    try {
      return wait.call();
    } finally {
      held.gate().acquire(held.caller());
      HELD.set(held);
    }
  }

  /** Requests doing work now (metrics, tests). */
  public synchronized int busy() {
    return busy;
  }

  /** Requests waiting for a place now (metrics, tests). */
  public synchronized int waiting() {
    int n = 0;
    for (var queue : waiting.values()) {
      n += queue.size();
    }
    return n;
  }

  private void acquire(String caller) {
    Waiter me;
    synchronized (this) {
      if (busy < places && waiting.isEmpty()) {
        busy++;
        return;
      }
      me = new Waiter();
      waiting.computeIfAbsent(caller, c -> new ArrayDeque<>()).addLast(me);
    }
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (!me.admitted) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        synchronized (this) {
          if (me.admitted) {
            return;
          }
          var queue = waiting.get(caller);
          queue.remove(me);
          if (queue.isEmpty()) {
            waiting.remove(caller);
          }
        }
        throw new ApiException(
            503,
            "overloaded",
            "the server is busy: this request waited "
                + maxWait.toSeconds()
                + " s for its turn; retry",
            List.of(),
            Map.of("Retry-After", "1"));
      }
      LockSupport.parkNanos(this, left);
    }
  }

  private void release() {
    Waiter next;
    synchronized (this) {
      var first = waiting.entrySet().iterator();
      if (!first.hasNext()) {
        busy--;
        return;
      }
      var turn = first.next();
      String caller = turn.getKey();
      ArrayDeque<Waiter> queue = turn.getValue();
      next = queue.pollFirst();
      first.remove();
      if (!queue.isEmpty()) {
        waiting.put(caller, queue); // to the back of the turn order
      }
      next.admitted = true; // the place passes on: busy is unchanged
    }
    LockSupport.unpark(next.thread);
  }
}
