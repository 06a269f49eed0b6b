package io.userpipe.ofac.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.ofac.list.ListFiles;
import io.userpipe.ofac.list.OfacListParser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A search's scratch is bounded by the number of searches that may run at once, not by how many
 * threads search: 64 threads (the HTTP pool) searching together make at most {@link
 * ScreeningIndex#CONCURRENT_SEARCHES} of them, and every answer is still right.
 */
class ScreeningIndexScratchTest {

  @Test
  void sixtyFourThreadsSearchingAtOnceShareABoundedScratch() throws Exception {
    ScreeningIndex index = ScreeningIndex.build(OfacListParser.parse(ListFiles.shipped(), "t"));
    var start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      List<Future<List<ScreeningMatch>>> answers = new ArrayList<>();
      for (int i = 0; i < 640; i++) {
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return index.search(
                      new ScreeningQuery("Nicolas Maduro Moros", null, null, null), 0.85, 5);
                }));
      }
      start.countDown();
      for (var answer : answers) {
        var matches = answer.get();
        assertFalse(matches.isEmpty());
        assertEquals(22790, matches.get(0).entry().entNum());
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(
        index.scratchCreated() <= ScreeningIndex.CONCURRENT_SEARCHES,
        index.scratchCreated() + " scratches for 64 threads");
  }
}
