package io.userpipe.ofac.match;

/**
 * How one token of a listed name met the person's name in the pairing that gave the name score: a
 * finding's evidence at the level of words, for a reviewer and a regulator to see why an entry
 * matched. Only the listed side (public list data): the person's own tokens never leave the
 * matcher.
 *
 * @param listedToken the listed name's token, normalized (lower case, no accents or punctuation)
 * @param how {@link #EXACT}, {@link #TYPO}, {@link #SOUND}, {@link #REPEATED_LETTERS}, {@link
 *     #REVERSED}, {@link #INITIAL}, {@link #JOINED} or {@link #UNMATCHED}
 * @param similarity the pair's similarity, 0 to 1; 0 when unmatched
 */
public record TokenMatch(String listedToken, String how, double similarity) {
  /** The same token. */
  public static final String EXACT = "exact";

  /** A token within a few typos (edit distance, more allowed in longer tokens). */
  public static final String TYPO = "typo";

  /** A token with the same sound skeleton (Mohamed, Muhammad). */
  public static final String SOUND = "sound";

  /** The same letters with a letter doubled or not (Mohamed, Mohammed). */
  public static final String REPEATED_LETTERS = "repeated_letters";

  /** The token written backwards (a transliteration slip). */
  public static final String REVERSED = "reversed";

  /** An initial on one side, the word it begins on the other: a weak agreement. */
  public static final String INITIAL = "initial";

  /** Two adjacent tokens on one side (or both) that are one word on the other (al rawi, alrawi). */
  public static final String JOINED = "joined";

  /** Nothing in the person's name explained the token: it lowered the score. */
  public static final String UNMATCHED = "unmatched";
}
