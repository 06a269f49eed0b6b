package io.userpipe.webhooks.worker;

/** Where the topology hands due attempts: the worker, or a list in tests. */
@FunctionalInterface
public interface Deliveries {

  /**
   * Takes the attempt, or refuses it at once when its endpoint already has its share of requests in
   * flight (or every thread is busy): the topology tries again a moment later.
   */
  boolean offer(Delivery delivery);
}
