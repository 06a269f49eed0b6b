package io.userpipe.projections.http;

import io.userpipe.projections.topology.ViewChanges;
import io.userpipe.runtime.http.ApiException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What the HTTP door's answers wait for, holding no thread: a command's result, a user's view. A
 * wait registers the key it waits on and looks once; when a fold here writes that key ({@link
 * ViewChanges}, on the stream thread) the wait looks again, on one of this class's own threads. It
 * also looks again now and then ({@link #FIRST_LOOK_MS}, doubling up to {@link #MAX_LOOK_MS}) for
 * what no fold here tells of: a view another instance holds, a store that was not queryable a
 * moment ago. Those looks are few on purpose: with a thousand waits, looks every 50 ms kept both
 * threads busy and delayed every answer (bin/load, 1,000 creates in flight). At its deadline it
 * completes empty: the caller answers what it has (a 202).
 *
 * <p>Before, each waiting request held an HTTP thread that polled the stores, and 64 threads held
 * about 0.3 s each let through about 200 requests a second (issue 23).
 */
public final class ViewWaits implements ViewChanges, AutoCloseable {

  static final long FIRST_LOOK_MS = 100;
  static final long MAX_LOOK_MS = 800;

  /** Threads that look again and carry the answer on from there (render it, wait again). */
  static final int THREADS = 2;

  private final Map<String, Set<Wait<?>>> onUsers = new ConcurrentHashMap<>();
  private final Map<String, Set<Wait<?>>> onCommands = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor looks;

  public ViewWaits() {
    var threads = new AtomicInteger();
    looks =
        new ScheduledThreadPoolExecutor(
            THREADS,
            r -> {
              Thread t = new Thread(r, "view-waits-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    looks.setRemoveOnCancelPolicy(true);
  }

  /** Where an answer goes on once it stops waiting on another client's thread. */
  Executor executor() {
    return looks;
  }

  /** Waits (until {@code deadlineNanos}, {@link System#nanoTime}) until {@code look} finds it. */
  <T> CompletableFuture<Optional<T>> onUser(
      String userId, Supplier<Optional<T>> look, long deadlineNanos) {
    return await(onUsers, userId, look, deadlineNanos);
  }

  /** The same, woken when the command's result is recorded. */
  <T> CompletableFuture<Optional<T>> onCommand(
      String commandId, Supplier<Optional<T>> look, long deadlineNanos) {
    return await(onCommands, commandId, look, deadlineNanos);
  }

  /** Waits registered now (tests, metrics). */
  int waiting() {
    return onUsers.values().stream().mapToInt(Set::size).sum()
        + onCommands.values().stream().mapToInt(Set::size).sum();
  }

  @Override
  public void user(String userId) {
    wake(onUsers, userId);
  }

  @Override
  public void command(String commandId) {
    wake(onCommands, commandId);
  }

  private <T> CompletableFuture<Optional<T>> await(
      Map<String, Set<Wait<?>>> on, String key, Supplier<Optional<T>> look, long deadlineNanos) {
    var wait = new Wait<>(on, key, look, deadlineNanos);
    // registered before the first look, so a write between the two still wakes it
    on.compute(
        key,
        (k, waits) -> {
          Set<Wait<?>> set = waits == null ? ConcurrentHashMap.newKeySet() : waits;
          set.add(wait);
          return set;
        });
    wait.look();
    if (!wait.answer.isDone()) {
      wait.lookLater(FIRST_LOOK_MS);
    }
    return wait.answer;
  }

  private void wake(Map<String, Set<Wait<?>>> on, String key) {
    Set<Wait<?>> waits = on.get(key);
    if (waits != null) {
      waits.forEach(Wait::lookSoon);
    }
  }

  @Override
  public void close() {
    looks.shutdownNow();
  }

  private final class Wait<T> {
    final Map<String, Set<Wait<?>>> on;
    final String key;
    final Supplier<Optional<T>> look;
    final long deadline;
    final CompletableFuture<Optional<T>> answer = new CompletableFuture<>();
    final AtomicBoolean queued = new AtomicBoolean();

    Wait(Map<String, Set<Wait<?>>> on, String key, Supplier<Optional<T>> look, long deadline) {
      this.on = on;
      this.key = key;
      this.look = look;
      this.deadline = deadline;
    }

    void look() {
      if (answer.isDone()) {
        return;
      }
      Optional<T> found;
      try {
        found = look.get();
      } catch (ApiException e) {
        if (e.status() != 503) {
          finish(() -> answer.completeExceptionally(e));
          return;
        }
        found = Optional.empty(); // not queryable this moment: look again
      } catch (RuntimeException e) {
        finish(() -> answer.completeExceptionally(e));
        return;
      }
      if (found.isPresent()) {
        Optional<T> it = found;
        finish(() -> answer.complete(it));
      } else if (System.nanoTime() - deadline >= 0) {
        finish(() -> answer.complete(Optional.empty()));
      }
    }

    void lookSoon() {
      if (!answer.isDone() && queued.compareAndSet(false, true)) {
        run(
            () -> {
              queued.set(false);
              look();
            });
      }
    }

    void lookLater(long pauseMs) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      try {
        looks.schedule(
            () -> {
              look();
              if (!answer.isDone()) {
                lookLater(Math.min(MAX_LOOK_MS, pauseMs * 2));
              }
            },
            Math.max(0, Math.min(pauseMs, left)),
            TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        finish(() -> answer.complete(Optional.empty())); // closing
      }
    }

    private void run(Runnable task) {
      try {
        looks.execute(task);
      } catch (RejectedExecutionException e) {
        finish(() -> answer.complete(Optional.empty())); // closing
      }
    }

    private void finish(Runnable completion) {
      on.computeIfPresent(
          key,
          (k, waits) -> {
            waits.remove(this);
            return waits.isEmpty() ? null : waits;
          });
      completion.run();
    }
  }
}
