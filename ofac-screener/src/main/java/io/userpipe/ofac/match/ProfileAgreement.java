package io.userpipe.ofac.match;

import io.userpipe.ofac.list.SdnEntry;
import java.util.List;

/**
 * Raises or lowers a name score by what else is known: a date of birth that agrees with the entry's
 * is evidence for, one that is years away is evidence against; the same for country, with less
 * weight. Unknown on either side changes nothing.
 */
public final class ProfileAgreement {
  static final double SAME_DATE = 0.04;
  static final double SAME_YEAR = 0.02;
  static final double DIFFERENT_YEARS = -0.10;
  static final double SAME_COUNTRY = 0.02;
  static final double DIFFERENT_COUNTRY = -0.04;

  private ProfileAgreement() {}

  public static double adjustment(
      ScreeningQuery query, SdnEntry entry, List<String> entryCountryKeys) {
    return birthDate(query.birthDate(), entry.birthDates())
        + country(Countries.key(query.country()), entryCountryKeys);
  }

  /**
   * Whether a date of birth would decide a match found without one (the evidence's hint): none was
   * screened, the entry has one, and the name cannot decide alone: a date of birth years apart from
   * the entry's would take the match below {@code threshold}, and one that agrees would take it to
   * the threshold or keep it there. That is a score from {@code threshold - SAME_DATE} to {@code
   * threshold - DIFFERENT_YEARS}; a name written in Han characters ({@code
   * PreparedName#HAN_CEILING}) always falls there when its pinyin agrees.
   */
  public static boolean birthDateWouldDecide(
      ScreeningQuery query, ScreeningMatch match, double threshold) {
    return (query.birthDate() == null || query.birthDate().isBlank())
        && !match.entry().birthDates().isEmpty()
        && match.score() + DIFFERENT_YEARS < threshold
        && match.score() + SAME_DATE >= threshold;
  }

  static double birthDate(String birthDate, List<String> listed) {
    if (birthDate == null || birthDate.length() < 4 || listed.isEmpty()) {
      return 0.0;
    }
    int year;
    try {
      year = Integer.parseInt(birthDate.substring(0, 4));
    } catch (NumberFormatException e) {
      return 0.0;
    }
    int closest = Integer.MAX_VALUE;
    for (String d : listed) {
      if (d.length() >= 10 && birthDate.length() >= 10 && d.equals(birthDate.substring(0, 10))) {
        return SAME_DATE;
      }
      closest = Math.min(closest, Math.abs(Integer.parseInt(d.substring(0, 4)) - year));
    }
    if (closest == 0) {
      return SAME_YEAR;
    }
    return closest == 1 ? 0.0 : DIFFERENT_YEARS;
  }

  static double country(String key, List<String> entryKeys) {
    if (key == null || entryKeys.isEmpty()) {
      return 0.0;
    }
    return entryKeys.contains(key) ? SAME_COUNTRY : DIFFERENT_COUNTRY;
  }
}
