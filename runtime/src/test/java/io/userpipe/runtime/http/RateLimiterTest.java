package io.userpipe.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  @Test
  void aPlatformOverItsRateGets429WithRetryAfterAndOthersAreNotTouched() {
    var clock = new AtomicLong();
    var limiter = new RateLimiter(2, 3, clock::get);
    for (int i = 0; i < 3; i++) {
      limiter.acquire("a", "search"); // the burst
    }
    var over = assertThrows(ApiException.class, () -> limiter.acquire("a", "search"));
    assertEquals(429, over.status());
    assertEquals("1", over.headers().get("Retry-After"));
    assertTrue(over.getMessage().contains("2 requests a second per platform"), over.getMessage());

    limiter.acquire("b", "search"); // another platform has its own bucket

    clock.addAndGet(500_000_000L); // half a second: one token at 2 a second
    limiter.acquire("a", "search");
    assertThrows(ApiException.class, () -> limiter.acquire("a", "search"));
  }
}
