package io.userpipe.ofac.match;

/**
 * The version of the matcher (normalization, candidates, scoring, threshold rules). Bump it with a
 * change that can change an outcome: ofac-screener then re-screens every user, as for a new list
 * version, and a finding that no longer matches is marked {@code matcher_changed}.
 */
public final class MatcherVersion {
  /**
   * The matcher of this release: "3" since a word written twice in a name is kept twice, a name
   * written in Han characters scores at most 0.82 by its pinyin, a person's name keeps the words
   * that are legal forms in a company's, and two words under five letters together are no word
   * (issue 19); "2" was issue 19's family names, short-word rules and initials (docs/OFAC.md).
   * State written before matcher versions existed counts as "1".
   */
  public static final String CURRENT = "3";

  /** The matcher of state and events written before matcher versions were recorded. */
  public static final String FIRST = "1";

  private MatcherVersion() {}
}
