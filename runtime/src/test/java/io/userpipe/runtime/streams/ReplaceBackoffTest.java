package io.userpipe.runtime.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The pause before a stream thread is replaced grows, is capped, and resets after quiet. */
class ReplaceBackoffTest {

  @Test
  void growsToTheCapAndResetsAfterAQuietPeriod() {
    var now = new AtomicLong();
    var backoff = new ReplaceBackoff(now::get);

    List<Long> pauses =
        IntStream.range(0, 7)
            .mapToObj(
                i -> {
                  now.addAndGet(Duration.ofSeconds(1).toNanos());
                  return backoff.onFailure().duration().toSeconds();
                })
            .toList();
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L), pauses);

    now.addAndGet(ReplaceBackoff.QUIET.plusSeconds(1).toNanos());
    var afterQuiet = backoff.onFailure();
    assertEquals(Duration.ofSeconds(1), afterQuiet.duration());
    assertEquals(1, afterQuiet.attempt());
  }
}
