package io.userpipe.ofac.match;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * At most {@code capacity} scratch objects, made when first needed and reused: a borrower beyond
 * the capacity waits for one to be given back. Memory is bounded by the capacity, whatever the
 * number of threads.
 */
final class ScratchPool<T> {

  private final int capacity;
  private final Supplier<T> factory;
  private final BlockingQueue<T> free;
  private final AtomicInteger created = new AtomicInteger();

  ScratchPool(int capacity, Supplier<T> factory) {
    this.capacity = capacity;
    this.factory = factory;
    this.free = new ArrayBlockingQueue<>(capacity);
  }

  T borrow() {
    T item = free.poll();
    if (item != null) {
      return item;
    }
    while (true) {
      int made = created.get();
      if (made >= capacity) {
        break;
      }
      if (created.compareAndSet(made, made + 1)) {
        return factory.get();
      }
    }
    try {
      return free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a search scratch", e);
    }
  }

  void giveBack(T item) {
    free.offer(item); // never full: at most capacity exist
  }

  int created() {
    return created.get();
  }
}
