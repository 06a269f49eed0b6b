package io.userpipe.runtime.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller (a platform): {@code perSecond} requests a second on average, bursts of
 * up to {@code burst}. Over it, {@link #acquire} throws a 429 with {@code Retry-After} naming the
 * limit. Callers are platforms, not addresses: every client here may share one address, so a
 * per-address limit would mean nothing. The number of buckets is bounded by the platforms.
 */
public final class RateLimiter {

  private final double perSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  public RateLimiter(double perSecond, int burst) {
    this(perSecond, burst, System::nanoTime);
  }

  RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  /**
   * Takes one request's token for {@code caller}.
   *
   * @throws ApiException 429 with {@code Retry-After} when the caller is over its limit
   */
  public void acquire(String caller, String what) {
    long now = nanoTime.getAsLong();
    Bucket bucket = buckets.computeIfAbsent(caller, c -> new Bucket(burst, now));
    double wait;
    synchronized (bucket) {
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / 1e9 * perSecond);
      bucket.at = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return;
      }
      wait = (1 - bucket.tokens) / perSecond;
    }
    throw new ApiException(
        429,
        "rate_limited",
        what
            + " is limited to "
            + (long) perSecond
            + " requests a second per platform (bursts of "
            + (long) burst
            + "); retry",
        java.util.List.of(),
        Map.of("Retry-After", Long.toString(Math.max(1, (long) Math.ceil(wait)))));
  }
}
