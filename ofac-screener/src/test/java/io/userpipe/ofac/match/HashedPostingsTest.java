package io.userpipe.ofac.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashedPostingsTest {

  private static List<Integer> found(HashedPostings p, String key) {
    List<Integer> ids = new ArrayList<>();
    int at = p.find(key);
    if (at >= 0) {
      for (int i = p.start(at); i < p.end(at); i++) {
        ids.add(p.id(i));
      }
    }
    return ids;
  }

  @Test
  void everyKeyFindsItsOwnIdsInOrderAndNoOtherKeyFindsAny() {
    // given 50,000 keys of a few letters, as deletions of listed words are, each with its ids
    Random r = new Random(19);
    Map<String, List<Integer>> postings = new HashMap<>();
    while (postings.size() < 50_000) {
      String key = word(r);
      postings.computeIfAbsent(key, k -> new ArrayList<>()).add(r.nextInt(30_000));
    }
    HashedPostings p = HashedPostings.of(postings);

    // then each key gives back exactly its ids, in the order they were added
    postings.forEach((key, ids) -> assertEquals(ids, found(p, key), key));
    assertEquals(postings.size(), p.keys());
    // and keys that were never added find nothing
    for (int i = 0; i < 50_000; i++) {
      String other = word(r) + "#";
      assertEquals(List.of(), found(p, other), other);
    }
    assertEquals(-1, HashedPostings.of(Map.of()).find("anything"));
  }

  private static String word(Random r) {
    StringBuilder b = new StringBuilder();
    int n = 3 + r.nextInt(6);
    for (int i = 0; i < n; i++) {
      b.append((char) ('a' + r.nextInt(26)));
    }
    return b.toString();
  }
}
