package io.userpipe.ofac.match;

import java.util.List;

/**
 * A name's tokens with their weights and sound skeletons, and each two adjacent tokens written
 * together (with its skeleton), computed once: listed names at index build, a query once per
 * search.
 */
public record PreparedName(
    String[] tokens,
    float[] weights,
    float[] unmatchedWeights,
    String[] skeletons,
    String[] joined,
    String[] joinedSkeletons,
    int[] letters,
    int[] joinedLetters,
    float total,
    int[] ids,
    long family,
    double ceiling) {

  /** Tokens beyond these are not compared. */
  public static final int MAX_TOKENS = 16;

  /**
   * The most a name written in Han characters can score by its letters alone ({@link #query}).
   * Below the default threshold: only what else is known (a date of birth that agrees) can take
   * such a match to review.
   */
  static final double HAN_CEILING = 0.82;

  /**
   * A name as a person gives it, {@code Family, Given} or not. A name written in Han characters
   * scores at most {@link #HAN_CEILING}: its pinyin is all that can meet a listed name, and pinyin
   * is a poor witness of who a person is, since one syllable (yu) writes dozens of characters (余,
   * 于, 俞, 虞, 禹 …) and a few hundred syllables write every Chinese name. A full agreement of the
   * pinyin of two or three characters is an agreement of common tokens, whatever the list's own
   * frequencies say (issue 19: 余瑾 and YU, Jin).
   */
  public static PreparedName query(String raw, TokenWeights weights) {
    return query(raw, weights, false);
  }

  /** The same, for a person's name when {@code person} ({@link NameNormalizer#personTokens}). */
  public static PreparedName query(String raw, TokenWeights weights, boolean person) {
    PreparedName p =
        of(
            person ? NameNormalizer.personTokens(raw) : NameNormalizer.tokens(raw),
            weights,
            NameNormalizer.familyTokens(raw));
    return NameNormalizer.writtenInHan(raw) ? p.withCeiling(HAN_CEILING) : p;
  }

  public static PreparedName of(List<String> all, TokenWeights weights) {
    return of(all, weights, java.util.Set.of());
  }

  /**
   * A name whose {@code familyTokens} are its family names, as a listed {@code SURNAME, Given} name
   * says ({@link NameNormalizer#familyTokens}): leaving one out is no mere omission.
   */
  public static PreparedName of(
      List<String> all, TokenWeights weights, java.util.Set<String> familyTokens) {
    // A word written twice is kept twice (ALVAREZ ALVAREZ, Wenceslao; ISSA, Issa Osman): each copy
    // is a word of the name, and a typo in one copy is a typo, not a family name left out.
    List<String> tokens = all;
    int n = Math.min(tokens.size(), MAX_TOKENS);
    String[] t = new String[n];
    float[] w = new float[n];
    float[] u = new float[n];
    String[] s = new String[n];
    float total = 0;
    for (int i = 0; i < n; i++) {
      t[i] = tokens.get(i);
      w[i] = weights.weight(t[i]);
      u[i] = weights.unmatchedWeight(t[i]);
      s[i] = Similarity.skeleton(t[i]);
      total += w[i];
    }
    String[] j = new String[Math.max(0, n - 1)];
    String[] js = new String[j.length];
    int[] jl = new int[j.length];
    for (int i = 0; i < j.length; i++) {
      j[i] = t[i] + t[i + 1];
      js[i] = Similarity.skeleton(j[i]);
      jl[i] = Similarity.letters(j[i]);
    }
    int[] l = new int[n];
    long family = 0;
    for (int i = 0; i < n; i++) {
      l[i] = Similarity.letters(t[i]);
      if (familyTokens.contains(t[i])) {
        family |= 1L << i;
      }
    }
    return new PreparedName(t, w, u, s, j, js, l, jl, total, null, family, 1.0);
  }

  /**
   * The same name with the ids its tokens have in an index's vocabulary (-1: none), its tokens and
   * their skeletons the vocabulary's own instances: a listed word is kept once however many listed
   * names have it (a stack's live heap held 326,000 strings of listed names' words before).
   */
  PreparedName withIds(
      java.util.Map<String, Integer> vocabIds, String[] vocab, String[] vocabSkeletons) {
    int[] ids = new int[tokens.length];
    String[] t = tokens.clone();
    String[] s = skeletons.clone();
    for (int i = 0; i < ids.length; i++) {
      ids[i] = vocabIds.getOrDefault(tokens[i], -1);
      if (ids[i] >= 0) {
        t[i] = vocab[ids[i]];
        s[i] = vocabSkeletons[ids[i]];
      }
    }
    return new PreparedName(
        t,
        weights,
        unmatchedWeights,
        s,
        joined,
        joinedSkeletons,
        letters,
        joinedLetters,
        total,
        ids,
        family,
        ceiling);
  }

  /** The same name, scoring at most {@code max}. */
  PreparedName withCeiling(double max) {
    return new PreparedName(
        tokens,
        weights,
        unmatchedWeights,
        skeletons,
        joined,
        joinedSkeletons,
        letters,
        joinedLetters,
        total,
        ids,
        family,
        max);
  }

  public int size() {
    return tokens.length;
  }
}
