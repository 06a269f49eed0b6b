package io.userpipe.projections.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.userpipe.runtime.http.ApiException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Given a wait on a key, when the fold writes it (or not), then the wait's answer. */
class ViewWaitsTest {

  private final ViewWaits waits = new ViewWaits();
  private final AtomicReference<String> view = new AtomicReference<>();

  @AfterEach
  void close() {
    waits.close();
  }

  private static long in(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  @Test
  void aWriteOfItsKeyAnswersTheWait() throws Exception {
    var answer =
        waits.onUser("u1", () -> Optional.ofNullable(view.get()), in(Duration.ofMinutes(1)));
    assertFalse(answer.isDone());
    view.set("folded");
    waits.user("u2"); // another user's write: nothing to look at
    waits.user("u1");
    assertEquals(Optional.of("folded"), answer.get(10, TimeUnit.SECONDS));
    assertEquals(0, waits.waiting());
  }

  @Test
  void whatIsThereAlreadyAnswersAtOnce() {
    view.set("there");
    var answer =
        waits.onCommand("c1", () -> Optional.ofNullable(view.get()), in(Duration.ofMinutes(1)));
    assertEquals(Optional.of("there"), answer.getNow(null));
  }

  @Test
  void aViewNoFoldHereTellsOfIsFoundByLookingAgain() throws Exception {
    var looks = new AtomicInteger();
    var answer =
        waits.onUser(
            "u1",
            () -> looks.incrementAndGet() < 3 ? Optional.empty() : Optional.of("remote"),
            in(Duration.ofMinutes(1)));
    assertEquals(Optional.of("remote"), answer.get(10, TimeUnit.SECONDS));
  }

  @Test
  void theDeadlineAnswersEmpty() throws Exception {
    var answer = waits.onUser("u1", Optional::empty, in(Duration.ofMillis(200)));
    assertEquals(Optional.empty(), answer.get(10, TimeUnit.SECONDS));
    assertEquals(0, waits.waiting());
  }

  @Test
  void aStoreNotQueryableIsLookedAtAgainAndARefusalEndsTheWait() throws Exception {
    var looks = new AtomicInteger();
    var retried =
        waits.onUser(
            "u1",
            () -> {
              if (looks.incrementAndGet() == 1) {
                throw new ApiException(503, "unavailable", "rebalancing");
              }
              return Optional.of("back");
            },
            in(Duration.ofMinutes(1)));
    assertEquals(Optional.of("back"), retried.get(10, TimeUnit.SECONDS));
    var refused =
        waits.onUser(
            "u2",
            () -> {
              throw ApiException.notFound("no user u2");
            },
            in(Duration.ofMinutes(1)));
    var e = assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
    assertInstanceOf(ApiException.class, e.getCause());
  }
}
