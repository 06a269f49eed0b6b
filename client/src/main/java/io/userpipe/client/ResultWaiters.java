package io.userpipe.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The futures waiting for results, and the results that came before anyone waited (a retry of a
 * command already decided gets no second result from the service, so its answer must come from
 * here). Remembers at most {@code capacity} results, the oldest forgotten first. No Kafka: the
 * follower hands it each result it reads.
 */
final class ResultWaiters {

  private final Map<String, List<CompletableFuture<Result>>> waiting = new HashMap<>();
  private final Map<String, Result> known;
  private Throwable closed;

  ResultWaiters(int capacity) {
    this.known =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Result> eldest) {
            return size() > capacity;
          }
        };
  }

  /** A future of the command's result: done already when the result is known. */
  synchronized CompletableFuture<Result> await(String commandId) {
    var future = new CompletableFuture<Result>();
    if (closed != null) {
      future.completeExceptionally(closed);
      return future;
    }
    Result result = known.get(commandId);
    if (result != null) {
      future.complete(result);
    } else {
      waiting.computeIfAbsent(commandId, id -> new ArrayList<>()).add(future);
    }
    return future;
  }

  /** A result read: the first for its command is kept and completes every waiter. */
  void arrived(Result result) {
    List<CompletableFuture<Result>> waiters;
    synchronized (this) {
      known.putIfAbsent(result.commandId(), result);
      waiters = waiting.remove(result.commandId());
    }
    if (waiters != null) { // completed outside the lock: a caller's callback may call back in
      Result first = known(result.commandId(), result);
      waiters.forEach(f -> f.complete(first));
    }
  }

  private synchronized Result known(String commandId, Result fallback) {
    return known.getOrDefault(commandId, fallback);
  }

  /** Stops waiting: {@code future} no longer wants the result (timed out, or never published). */
  synchronized void forget(String commandId, CompletableFuture<Result> future) {
    var waiters = waiting.get(commandId);
    if (waiters != null) {
      waiters.remove(future);
      if (waiters.isEmpty()) {
        waiting.remove(commandId);
      }
    }
  }

  synchronized int waitingFor() {
    return waiting.size();
  }

  /** Fails every waiter, and every later one, with {@code cause}. */
  void close(Throwable cause) {
    List<CompletableFuture<Result>> all = new ArrayList<>();
    synchronized (this) {
      closed = cause;
      waiting.values().forEach(all::addAll);
      waiting.clear();
    }
    all.forEach(f -> f.completeExceptionally(cause));
  }
}
