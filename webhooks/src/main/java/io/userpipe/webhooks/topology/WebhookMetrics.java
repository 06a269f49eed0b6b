package io.userpipe.webhooks.topology;

import java.util.concurrent.atomic.LongAdder;

/** What the delivery topology counts, for {@code /metrics}: events queued, delivered, given up. */
public final class WebhookMetrics {

  final LongAdder enqueued = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder retried = new LongAdder();
  final LongAdder gaveUp = new LongAdder();

  public long enqueued() {
    return enqueued.sum();
  }

  public long delivered() {
    return delivered.sum();
  }

  public long retried() {
    return retried.sum();
  }

  public long gaveUp() {
    return gaveUp.sum();
  }

  /** Events queued and not yet delivered by this instance since it started (an estimate). */
  public long queueDepth() {
    return Math.max(0, enqueued.sum() - delivered.sum());
  }
}
