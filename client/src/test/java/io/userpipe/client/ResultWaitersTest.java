package io.userpipe.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ResultWaitersTest {

  private static Result accepted(String commandId, String userId) {
    return new Result.Accepted(commandId, "CreateUser", userId, 1L, true);
  }

  @Test
  void aResultCompletesEveryoneWaitingForItsCommand() throws Exception {
    var waiters = new ResultWaiters(10);
    var first = waiters.await("c1");
    var second = waiters.await("c1");
    var other = waiters.await("c2");

    waiters.arrived(accepted("c1", "u1"));

    assertEquals("u1", ((Result.Accepted) first.get()).userId());
    assertSame(first.get(), second.get());
    assertFalse(other.isDone());
  }

  @Test
  void aResultThatCameBeforeTheWaitAnswersItAtOnceAndTheFirstResultWins() throws Exception {
    var waiters = new ResultWaiters(10);
    waiters.arrived(accepted("c1", "u1"));
    waiters.arrived(accepted("c1", "u2"));

    var future = waiters.await("c1");

    assertTrue(future.isDone());
    assertEquals("u1", ((Result.Accepted) future.get()).userId());
    assertEquals(0, waiters.waitingFor());
  }

  @Test
  void remembersOnlyTheNewestResults() {
    var waiters = new ResultWaiters(2);
    waiters.arrived(accepted("c1", "u1"));
    waiters.arrived(accepted("c2", "u2"));
    waiters.arrived(accepted("c3", "u3"));

    assertFalse(waiters.await("c1").isDone());
    assertTrue(waiters.await("c3").isDone());
  }

  @Test
  void aForgottenWaiterIsNoLongerHeld() {
    var waiters = new ResultWaiters(10);
    var future = waiters.await("c1");
    waiters.forget("c1", future);

    assertEquals(0, waiters.waitingFor());
    waiters.arrived(accepted("c1", "u1"));
    assertFalse(future.isDone());
  }

  @Test
  void closingFailsTheWaitersAndEveryLaterOne() {
    var waiters = new ResultWaiters(10);
    var future = waiters.await("c1");
    waiters.close(new IllegalStateException("closed"));

    var e = assertThrows(ExecutionException.class, future::get);
    assertTrue(e.getCause() instanceof IllegalStateException);
    assertTrue(waiters.await("c2").isCompletedExceptionally());
  }
}
