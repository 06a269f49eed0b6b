package io.userpipe.ofac.domain;

import java.util.List;

/**
 * One listed entry a user matched, as the evidence of a case: the entry, how well it matched, and
 * (once a re-screening no longer finds it) what changed, for the reviewer to weigh.
 *
 * @param lapsed null while the entry matches; else one of {@link Finding#PROFILE_CHANGED}, {@link
 *     Finding#DATE_OF_BIRTH_SUPPLIED}, {@link Finding#DELISTED}, {@link Finding#ENTRY_CHANGED},
 *     {@link Finding#MATCHER_CHANGED}
 */
public record Finding(
    int entNum,
    String sdnName,
    String matchedName,
    String matchedKind,
    List<String> programs,
    double score,
    String listVersion,
    String fingerprint,
    String lapsed) {
  public static final String PROFILE_CHANGED = "profile_changed";
  public static final String DATE_OF_BIRTH_SUPPLIED = "date_of_birth_supplied";
  public static final String DELISTED = "delisted";
  public static final String ENTRY_CHANGED = "entry_changed";
  public static final String MATCHER_CHANGED = "matcher_changed";

  public Finding {
    programs = List.copyOf(programs);
  }

  /** The same finding, no longer matching because of {@code why}. */
  public Finding lapsedBy(String why) {
    return new Finding(
        entNum, sdnName, matchedName, matchedKind, programs, score, listVersion, fingerprint, why);
  }

  public boolean matches() {
    return lapsed == null;
  }
}
