package io.userpipe.ofac.domain;

import io.userpipe.schemas.vocabulary.OfacHint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One listed entry a user matched, as the evidence of a case: the entry, how well it matched and
 * which of its name's tokens matched how, which of the person's names matched it, and (once a
 * re-screening no longer finds it) what changed, for the reviewer to weigh.
 *
 * @param nameSource which of the person's names matched ({@link ScreenedName#source()}), never the
 *     name itself: evidence is published where personal data may not go
 * @param lapsed null while the entry matches; else one of {@link Finding#PROFILE_CHANGED}, {@link
 *     Finding#DATE_OF_BIRTH_SUPPLIED}, {@link Finding#DELISTED}, {@link Finding#ENTRY_CHANGED},
 *     {@link Finding#MATCHER_CHANGED}
 * @param tokens each token of the matched listed name with how it met the person's name (list data
 *     only, for the same reason as {@code nameSource}); empty in evidence recorded before tokens
 *     were
 * @param birthDates the listed entry's dates of birth, as the list gives them (list data, for the
 *     reviewer to set beside the person's); empty in evidence recorded before they were
 * @param countries the countries the listed entry is tied to ({@code SdnEntry#countries}); empty
 *     likewise
 * @param hint what would help decide the finding ({@link OfacHint#DATE_OF_BIRTH_WOULD_HELP}), or
 *     null: a kind of fact, never the person's data
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
    String nameSource,
    String lapsed,
    List<Token> tokens,
    List<String> birthDates,
    List<String> countries,
    OfacHint hint) {
  public static final String PROFILE_CHANGED = "profile_changed";
  public static final String DATE_OF_BIRTH_SUPPLIED = "date_of_birth_supplied";
  public static final String DELISTED = "delisted";
  public static final String ENTRY_CHANGED = "entry_changed";
  public static final String MATCHER_CHANGED = "matcher_changed";

  /**
   * How one token of the matched listed name met the person's name: {@code how} is exact, typo,
   * sound, repeated_letters, reversed, initial, joined or unmatched (the matcher's words), {@code
   * similarity} 0 to 1.
   */
  public record Token(String listedToken, String how, double similarity) {}

  public Finding {
    programs = List.copyOf(programs);
    tokens = List.copyOf(tokens);
    birthDates = List.copyOf(birthDates);
    countries = List.copyOf(countries);
  }

  /** A finding without a hint. */
  public Finding(
      int entNum,
      String sdnName,
      String matchedName,
      String matchedKind,
      List<String> programs,
      double score,
      String listVersion,
      String fingerprint,
      String nameSource,
      String lapsed,
      List<Token> tokens,
      List<String> birthDates,
      List<String> countries) {
    this(
        entNum,
        sdnName,
        matchedName,
        matchedKind,
        programs,
        score,
        listVersion,
        fingerprint,
        nameSource,
        lapsed,
        tokens,
        birthDates,
        countries,
        null);
  }

  /** A finding without the entry's dates of birth and countries (evidence recorded before). */
  public Finding(
      int entNum,
      String sdnName,
      String matchedName,
      String matchedKind,
      List<String> programs,
      double score,
      String listVersion,
      String fingerprint,
      String nameSource,
      String lapsed,
      List<Token> tokens) {
    this(
        entNum,
        sdnName,
        matchedName,
        matchedKind,
        programs,
        score,
        listVersion,
        fingerprint,
        nameSource,
        lapsed,
        tokens,
        List.of(),
        List.of());
  }

  /** The same finding with its name's tokens told. */
  public Finding withTokens(List<Token> told) {
    return new Finding(
        entNum,
        sdnName,
        matchedName,
        matchedKind,
        programs,
        score,
        listVersion,
        fingerprint,
        nameSource,
        lapsed,
        told,
        birthDates,
        countries,
        hint);
  }

  /** The same finding with {@code what} would help decide it (null: nothing). */
  public Finding withHint(OfacHint what) {
    return new Finding(
        entNum,
        sdnName,
        matchedName,
        matchedKind,
        programs,
        score,
        listVersion,
        fingerprint,
        nameSource,
        lapsed,
        tokens,
        birthDates,
        countries,
        what);
  }

  /** The same finding, no longer matching because of {@code why}. */
  public Finding lapsedBy(String why) {
    return new Finding(
        entNum,
        sdnName,
        matchedName,
        matchedKind,
        programs,
        score,
        listVersion,
        fingerprint,
        nameSource,
        why,
        tokens,
        birthDates,
        countries,
        hint);
  }

  public boolean matches() {
    return lapsed == null;
  }

  /**
   * One finding per entry, the best scoring of those a person's names found (an entry that two of
   * the names match is one match, shown with the name that matched it best), best first.
   */
  public static List<Finding> bestPerEntry(List<Finding> found) {
    Map<Integer, Finding> best = new LinkedHashMap<>();
    for (Finding f : found) {
      best.merge(f.entNum(), f, (a, b) -> b.score() > a.score() ? b : a);
    }
    List<Finding> sorted = new ArrayList<>(best.values());
    sorted.sort(Comparator.comparingDouble(Finding::score).reversed()); // stable: ties keep order
    return List.copyOf(sorted);
  }
}
