package io.userpipe.projections.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReplayProgressTest {

  private static final TopicPartition P0 = new TopicPartition("users.events", 0);
  private static final TopicPartition P1 = new TopicPartition("users.events", 1);
  private static final ReplayBoundary MARKS =
      new ReplayBoundary(
          "r1", Map.of(P0, new ReplayBoundary.Range(10, 110), P1, new ReplayBoundary.Range(0, 50)));

  @Test
  void progressCountsRecordsFromTheLogStartToEachMark() {
    assertEquals(150, MARKS.recordsToReplay());
    var nothingYet = ReplayProgress.of(MARKS, Map.of());
    assertEquals(0, nothingYet.replayed());
    assertFalse(nothingYet.complete());

    var halfway = ReplayProgress.of(MARKS, Map.of(P0, 60L, P1, 25L));
    assertEquals(75, halfway.replayed());
    assertEquals(50.0, halfway.percent(), 1e-9);
    assertFalse(halfway.complete());
  }

  @Test
  void theReplayIsCompleteOnlyWhenEveryPartitionPassedItsMark() {
    assertFalse(ReplayProgress.of(MARKS, Map.of(P0, 500L, P1, 49L)).complete());
    var done = ReplayProgress.of(MARKS, Map.of(P0, 500L, P1, 50L));
    assertTrue(done.complete());
    assertEquals(150, done.replayed(), "records past the marks are not replay");
  }

  @Test
  void theGateKeepsTheViewsClosedUntilTheReplayIsComplete() {
    var gate = ReplayGate.forReplay(MARKS);
    assertTrue(gate.closedBecause().isPresent(), "closed before the first measure");
    gate.update(ReplayProgress.of(MARKS, Map.of(P0, 60L, P1, 25L)));
    assertEquals("the views are being rebuilt (50.0% replayed)", gate.closedBecause().get());
    gate.update(ReplayProgress.of(MARKS, Map.of(P0, 110L, P1, 50L)));
    assertTrue(gate.closedBecause().isEmpty());
    assertTrue(ReplayGate.forReplay(ReplayBoundary.none()).closedBecause().isEmpty());
  }
}
