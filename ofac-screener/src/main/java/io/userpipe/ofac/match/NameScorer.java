package io.userpipe.ofac.match;

import java.util.function.IntConsumer;

/**
 * Scores how well two names agree, from 0 to 1.
 *
 * <p>Tokens are aligned one to one, best pairs first; two adjacent tokens on one side may pair with
 * one token on the other ({@code al rawi} / {@code alrawi}, {@code patr ushev}). A pair's
 * similarity counts typos by edit distance, allowing more of them in longer tokens, treats an
 * initial as a weak agreement and equal sound skeletons as a near match. The score is the weighted
 * share of both names' tokens that found a partner, so unexplained tokens on either side lower it,
 * and rare tokens count more than common ones.
 */
public final class NameScorer {
  private static final double TYPO_COST = 0.11;
  private static final double FIRST_LETTER_COST = 0.04;
  private static final double SHORT_FIRST_LETTER_COST = 0.15;
  private static final double SPLIT_SIMILARITY = 0.95;
  private static final double REPEAT_SIMILARITY = 0.92;
  private static final double REVERSED_SIMILARITY = 0.9;
  private static final double INITIAL_SIMILARITY = 0.7;
  private static final double SKELETON_SIMILARITY = 0.86;
  private static final double MIN_PAIR = 0.6;
  private static final double DROPPED_LETTER_SIMILARITY = 0.8;

  /** How much a token only one side has (an omission) counts, relative to a matched one. */
  static final double UNMATCHED = 0.3;

  /** How much a token left unexplained on both sides (a contradiction) counts, per side. */
  static final double CONFLICT = 2.0;

  private NameScorer() {}

  /** Similarity of two tokens, 0 when they are not plausibly the same word. */
  public static double tokenSimilarity(String a, String b, String skelA, String skelB) {
    return tokenSimilarity(a, b, skelA, skelB, Similarity.letters(a), Similarity.letters(b));
  }

  /** The same, with the tokens' letter sets ({@link Similarity#letters}) computed beforehand. */
  static double tokenSimilarity(
      String a, String b, String skelA, String skelB, int lettersA, int lettersB) {
    return tokenSimilarity(a, b, skelA, skelB, lettersA, lettersB, false);
  }

  /**
   * {@code spelled}: only the spelling counts (equal, or typos), as for two tokens written together
   * against one: a sound or a run of letters across a join is a coincidence more often than not.
   */
  static double tokenSimilarity(
      String a, String b, String skelA, String skelB, int lettersA, int lettersB, boolean spelled) {
    if (a.equals(b)) {
      return 1.0;
    }
    int la = a.length();
    int lb = b.length();
    if (la == 1 || lb == 1) {
      return a.charAt(0) == b.charAt(0) ? INITIAL_SIMILARITY : 0.0;
    }
    int min = Math.min(la, lb);
    if (!spelled
        && lettersA == lettersB
        && a.charAt(0) == b.charAt(0)
        && Similarity.sameCollapsed(a, b)) {
      return REPEAT_SIMILARITY;
    }
    if (!spelled && la == lb && la >= 4 && a.charAt(0) == b.charAt(lb - 1) && reversed(a, b)) {
      return REVERSED_SIMILARITY;
    }
    int allowed = min <= 3 ? 0 : min <= 7 ? 1 : min <= 11 ? 2 : 3;
    if (min == 3 && la != lb && Math.max(la, lb) == 4 && a.charAt(0) == b.charAt(0)) {
      // One letter dropped from a four-letter word (luis, lis): a typo, though one that alone
      // is no evidence, as equal three-letter words differing in a letter (tim, tom) are none.
      return Similarity.osaWithin(a, b, 1) <= 1 ? DROPPED_LETTER_SIMILARITY : 0.0;
    }
    double s = 0.0;
    if (allowed > 0
        && Math.abs(la - lb) <= allowed
        && Similarity.lettersWithin(lettersA, lettersB, allowed)) {
      int d = Similarity.osaWithin(a, b, allowed);
      if (d <= allowed) {
        double firstLetter = min <= 5 ? SHORT_FIRST_LETTER_COST : FIRST_LETTER_COST;
        s = 1.0 - TYPO_COST * d - (a.charAt(0) != b.charAt(0) ? firstLetter : 0.0);
      }
    }
    // A sound skeleton names a word only with enough consonants: two (s-n of sunny and
    // shuayhanah) are shared by many unrelated names, four rarely (m-h-m-d). Three do when the
    // words are long enough, and have the same shape of consonants and vowels (byryz and perez;
    // not kelsey and colas, nor the syllables cheng and song).
    if (!spelled
        && min >= 3
        && skelA.equals(skelB)
        && (skelA.length() >= 4
            || (skelA.length() == 3
                && min >= 5
                && Similarity.shape(a).equals(Similarity.shape(b))))) {
      s = Math.max(s, SKELETON_SIMILARITY);
    }
    return s >= MIN_PAIR ? s : 0.0;
  }

  /**
   * Which rule of {@link #tokenSimilarity} gave two tokens the similarity {@code s} (a {@link
   * TokenMatch} {@code how}). Every rule but the typo count gives a constant of its own, and the
   * typo count never gives one of those constants, so the similarity names the rule without running
   * the rules again; for the explanation of a finding, off the screening path.
   */
  static String how(String a, String b, double s) {
    if (a.equals(b)) {
      return TokenMatch.EXACT;
    }
    if (a.length() == 1 || b.length() == 1) {
      return TokenMatch.INITIAL;
    }
    if (s == REPEAT_SIMILARITY) {
      return TokenMatch.REPEATED_LETTERS;
    }
    if (s == REVERSED_SIMILARITY) {
      return TokenMatch.REVERSED;
    }
    return s == SKELETON_SIMILARITY ? TokenMatch.SOUND : TokenMatch.TYPO;
  }

  /** The score of a query name against a listed name. */
  public static double score(PreparedName q, PreparedName n) {
    return score(q, n, null);
  }

  /**
   * Remembers, for one query, how similar each of its tokens is to each listed token (by the listed
   * token's id): the same listed tokens recur across the candidates of a search.
   */
  static final class Memo {
    private final int vocab;
    private final double[] sims;
    private final int[] stamps;
    private int epoch;

    Memo(int vocab) {
      this.vocab = vocab;
      this.sims = new double[vocab * PreparedName.MAX_TOKENS];
      this.stamps = new int[vocab * PreparedName.MAX_TOKENS];
    }

    /** Forget everything: a new query. */
    void reset() {
      if (++epoch == Integer.MAX_VALUE) {
        java.util.Arrays.fill(stamps, 0);
        epoch = 1;
      }
    }
  }

  static double score(PreparedName q, PreparedName n, Memo memo) {
    if (q.size() == 0 || n.size() == 0) {
      return 0.0;
    }
    return align(q, n, pairs(q, n, memo), null);
  }

  /** Every plausible pairing of the two names' tokens, one to one, joined or split. */
  static Pairs pairs(PreparedName q, PreparedName n, Memo memo) {
    Pairs pairs = new Pairs();
    for (int i = 0; i < q.size(); i++) {
      for (int j = 0; j < n.size(); j++) {
        double s;
        int id = memo == null || n.ids() == null ? -1 : n.ids()[j];
        if (id >= 0) {
          int slot = i * memo.vocab + id;
          if (memo.stamps[slot] == memo.epoch) {
            s = memo.sims[slot];
          } else {
            s = similarity(q, i, n, j);
            memo.sims[slot] = s;
            memo.stamps[slot] = memo.epoch;
          }
        } else {
          s = similarity(q, i, n, j);
        }
        if (s > 0) {
          float wq = q.weights()[i];
          float wn = n.weights()[j];
          if (s == INITIAL_SIMILARITY && q.tokens()[i].length() != n.tokens()[j].length()) {
            // An initial says one letter: the pair weighs what the initial weighs, on both sides,
            // and the rest of the full word is as good as left out (N. against Nursultan).
            pairs.add(1L << i, 1L << j, s, 2 * Math.min(wq, wn), Math.abs(wq - wn));
          } else {
            pairs.add(1L << i, 1L << j, s, wq + wn);
          }
        }
      }
    }
    joined(q, n, pairs, false);
    joined(n, q, pairs, true);
    bothJoined(q, n, pairs);
    return pairs;
  }

  /**
   * Aligns the names by their best pairs and scores the alignment; {@code accepted}, when given,
   * hears the index of each pair taken (the explanation's hook: null while screening).
   */
  static double align(PreparedName q, PreparedName n, Pairs pairs, IntConsumer accepted) {
    // Best pairs first: each step takes the best pair (similarity, then weight; the earlier on a
    // tie) whose tokens are all still free.
    long usedQ = 0;
    long usedN = 0;
    double matched = 0.0;
    double matchedWeight = 0.0;
    int taken = 0;
    double initialRest = 0.0;
    while (true) {
      int best = -1;
      for (int k = 0; k < pairs.size; k++) {
        if ((pairs.q[k] & usedQ) == 0
            && (pairs.n[k] & usedN) == 0
            && (best < 0
                || pairs.sim[k] > pairs.sim[best]
                || (pairs.sim[k] == pairs.sim[best] && pairs.w[k] > pairs.w[best]))) {
          best = k;
        }
      }
      if (best < 0) {
        break;
      }
      usedQ |= pairs.q[best];
      usedN |= pairs.n[best];
      matched += pairs.sim[best] * pairs.w[best];
      matchedWeight += pairs.w[best];
      initialRest += pairs.rest[best];
      taken++;
      if (accepted != null) {
        accepted.accept(best);
      }
    }
    double unmatchedQ = unmatchedWeight(q, usedQ);
    double unmatchedN = unmatchedWeight(n, usedN);
    double conflict = Math.min(unmatchedQ, unmatchedN);
    double omission = Math.abs(unmatchedQ - unmatchedN);
    // An omission is cheap only beside a real agreement: one word in common (James Martin and
    // the alias MARTIN) is not the same name with the rest left out. And what is left out must be
    // a given name: people drop a middle name, not a family name (Daniel Perez is not PEREZ ROJAS,
    // Daniel by the name alone, nor Man Jin Yu, whose family name is Man, YU, Jin). Either side
    // may say which of its names are family names: the list by its SURNAME, Given form, a profile
    // by its last_name.
    double familyLeftOut =
        unmatchedN > unmatchedQ
            ? Math.min(omission, unmatchedWeight(n, usedN | ~n.family()))
            : Math.min(omission, unmatchedWeight(q, usedQ | ~q.family()));
    double omissionCost =
        taken >= 2 ? UNMATCHED * (omission - familyLeftOut) + familyLeftOut : omission;
    double initialCost = (taken >= 2 ? UNMATCHED : 1.0) * initialRest;
    double score = matched / (matchedWeight + 2 * CONFLICT * conflict + omissionCost + initialCost);
    // what the names' writing can say at most (a name in Han characters: PreparedName#query)
    return Math.min(score, Math.min(q.ceiling(), n.ceiling()));
  }

  private static double similarity(PreparedName q, int i, PreparedName n, int j) {
    return tokenSimilarity(
        q.tokens()[i],
        n.tokens()[j],
        q.skeletons()[i],
        n.skeletons()[j],
        q.letters()[i],
        n.letters()[j]);
  }

  /** Two adjacent tokens on each side that are the same word split differently. */
  private static void bothJoined(PreparedName q, PreparedName n, Pairs pairs) {
    for (int i = 0; i + 1 < q.size(); i++) {
      String a = q.joined()[i];
      for (int j = 0; j + 1 < n.size(); j++) {
        String b = n.joined()[j];
        if (a.length() == b.length() && a.equals(b)) {
          pairs.add(
              (1L << i) | (1L << (i + 1)),
              (1L << j) | (1L << (j + 1)),
              SPLIT_SIMILARITY,
              q.weights()[i] + q.weights()[i + 1] + n.weights()[j] + n.weights()[j + 1]);
        }
      }
    }
  }

  private static boolean reversed(String a, String b) {
    for (int i = 0, j = b.length() - 1; i < a.length(); i++, j--) {
      if (a.charAt(i) != b.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  private static double unmatchedWeight(PreparedName name, long used) {
    double w = 0;
    for (int i = 0; i < name.size(); i++) {
      if ((used & (1L << i)) == 0) {
        w += name.unmatchedWeights()[i];
      }
    }
    return w;
  }

  /** Two adjacent tokens of {@code a}, written together, against each token of {@code b}. */
  private static void joined(PreparedName a, PreparedName b, Pairs pairs, boolean swapped) {
    for (int i = 0; i + 1 < a.size(); i++) {
      String together = a.joined()[i];
      String skel = a.joinedSkeletons()[i];
      for (int j = 0; j < b.size(); j++) {
        String other = b.tokens()[j];
        if (Math.abs(other.length() - together.length()) > 3) {
          continue;
        }
        double s =
            tokenSimilarity(
                together,
                other,
                skel,
                b.skeletons()[j],
                a.joinedLetters()[i],
                b.letters()[j],
                true);
        if ((s < 1.0 && together.length() < 8)
            || (together.length() < 5
                && !TokenWeights.PARTICLES.contains(a.tokens()[i])
                && !TokenWeights.PARTICLES.contains(a.tokens()[i + 1]))) {
          // Short words run together (kim to, kimto) are near many short names (KIMO) by
          // chance: only an exact join counts there, and two syllables that make four letters
          // (tu to, TUTO) not even exactly; a particle and its word do (al id, ALID).
          s = 0;
        }
        if (s > 0) {
          long am = (1L << i) | (1L << (i + 1));
          long bm = 1L << j;
          double w = a.weights()[i] + a.weights()[i + 1] + b.weights()[j];
          if (swapped) {
            pairs.add(bm, am, s, w);
          } else {
            pairs.add(am, bm, s, w);
          }
        }
      }
    }
  }

  /** Candidate token pairs: the masks of the tokens each side gives, similarity and weight. */
  static final class Pairs {
    long[] q = new long[16];
    long[] n = new long[16];
    double[] sim = new double[16];
    double[] w = new double[16];
    double[] rest = new double[16];
    int size;

    void add(long qm, long nm, double s, double weight) {
      add(qm, nm, s, weight, 0.0);
    }

    /** {@code rest}: weight of the pair's tokens that the pair leaves unexplained. */
    void add(long qm, long nm, double s, double weight, double rest) {
      if (size == q.length) {
        q = java.util.Arrays.copyOf(q, size * 2);
        n = java.util.Arrays.copyOf(n, size * 2);
        sim = java.util.Arrays.copyOf(sim, size * 2);
        w = java.util.Arrays.copyOf(w, size * 2);
        this.rest = java.util.Arrays.copyOf(this.rest, size * 2);
      }
      q[size] = qm;
      n[size] = nm;
      sim[size] = s;
      w[size] = weight;
      this.rest[size] = rest;
      size++;
    }
  }
}
