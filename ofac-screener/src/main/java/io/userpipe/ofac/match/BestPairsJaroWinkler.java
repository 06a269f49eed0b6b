package io.userpipe.ofac.match;

import java.util.ArrayList;
import java.util.List;

/**
 * The field's baseline, kept to compare against: Jaro-Winkler over the best one-to-one token pairs,
 * weighted by token length, with the unmatched share of the listed name as a penalty (the scheme of
 * Moov Watchman's {@code BestPairsJaroWinkler}). Tokens are lower-cased words without punctuation.
 */
public final class BestPairsJaroWinkler {
  private BestPairsJaroWinkler() {}

  public static double score(List<String> query, List<String> indexed) {
    if (query.isEmpty() || indexed.isEmpty()) {
      return 0.0;
    }
    record Pair(int q, int n, double s) {}
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < query.size(); i++) {
      for (int j = 0; j < indexed.size(); j++) {
        pairs.add(new Pair(i, j, Similarity.jaroWinkler(indexed.get(j), query.get(i))));
      }
    }
    pairs.sort((a, b) -> Double.compare(b.s, a.s));
    boolean[] usedQ = new boolean[query.size()];
    boolean[] usedN = new boolean[indexed.size()];
    int queryLength = query.stream().mapToInt(String::length).sum();
    int indexedLength = indexed.stream().mapToInt(String::length).sum();
    int matchedIndexed = 0;
    double weighted = 0.0;
    for (Pair p : pairs) {
      if (!usedQ[p.q] && !usedN[p.n]) {
        usedQ[p.q] = true;
        usedN[p.n] = true;
        weighted += p.s * (query.get(p.q).length() + indexed.get(p.n).length());
        matchedIndexed += indexed.get(p.n).length();
      }
    }
    double score = weighted / (queryLength + matchedIndexed);
    double unmatchedShare = 1.0 - (double) matchedIndexed / indexedLength;
    return score * (1.0 - 0.5 * unmatchedShare);
  }
}
