package io.userpipe.ofac.match;

import java.util.ArrayList;
import java.util.List;

/**
 * Why a listed name scored what it did against a query: the pairing {@link NameScorer} chose, told
 * token by token from the listed side. It replays the scorer's own pairing (the same candidate
 * pairs, the same best-pairs-first alignment), so it cannot disagree with the score; it costs one
 * more scoring and is made only for the few matches kept as evidence, never while searching.
 */
public final class NameExplanation {
  /**
   * One pair the alignment took: the tokens of each side (bit masks), similarity and weight, and
   * the weight its tokens leave unexplained (the rest of a word an initial stands for).
   */
  record Pairing(long query, long listed, double similarity, double weight, double rest) {}

  private final double score;
  private final List<TokenMatch> tokens;
  private final List<Pairing> pairings;

  private NameExplanation(double score, List<TokenMatch> tokens, List<Pairing> pairings) {
    this.score = score;
    this.tokens = List.copyOf(tokens);
    this.pairings = List.copyOf(pairings);
  }

  /** Explains {@code NameScorer.score(q, n)}. */
  static NameExplanation of(PreparedName q, PreparedName n) {
    TokenMatch[] listed = new TokenMatch[n.size()];
    List<Pairing> pairings = new ArrayList<>();
    double score = 0.0;
    if (q.size() > 0 && n.size() > 0) {
      NameScorer.Pairs pairs = NameScorer.pairs(q, n, null);
      List<Integer> taken = new ArrayList<>();
      score = NameScorer.align(q, n, pairs, taken::add);
      for (int k : taken) {
        long qm = pairs.q[k];
        long nm = pairs.n[k];
        double s = pairs.sim[k];
        String how =
            Long.bitCount(qm) == 1 && Long.bitCount(nm) == 1
                ? NameScorer.how(token(q, qm), token(n, nm), s)
                : TokenMatch.JOINED;
        for (int j = 0; j < n.size(); j++) {
          if ((nm & (1L << j)) != 0) {
            listed[j] = new TokenMatch(n.tokens()[j], how, s);
          }
        }
        pairings.add(new Pairing(qm, nm, s, pairs.w[k], pairs.rest[k]));
      }
    }
    for (int j = 0; j < listed.length; j++) {
      if (listed[j] == null) {
        listed[j] = new TokenMatch(n.tokens()[j], TokenMatch.UNMATCHED, 0.0);
      }
    }
    return new NameExplanation(score, List.of(listed), pairings);
  }

  private static String token(PreparedName name, long mask) {
    return name.tokens()[Long.numberOfTrailingZeros(mask)];
  }

  /** The name score, as {@link NameScorer#score} gives it. */
  public double score() {
    return score;
  }

  /**
   * Each token of the listed name, in the name's order, a word written twice as often as it is
   * written, with how it met the query (a token beyond {@link PreparedName#MAX_TOKENS} is not
   * compared and not told).
   */
  public List<TokenMatch> tokens() {
    return tokens;
  }

  /** The pairs taken, best first; the query's side stays in the matcher (tests check the score). */
  List<Pairing> pairings() {
    return pairings;
  }
}
