package io.userpipe.projections.console;

import io.userpipe.schemas.OfacEvidence;
import java.util.List;

/**
 * What the evidence says of a listed entry beyond its names: its dates of birth and countries, as
 * the list gave them when it matched. Evidence recorded before they were has none, and the page
 * says so rather than show an empty cell that reads as "the list gives none".
 */
final class EntryFacts {

  static final String NOT_RECORDED = "not recorded in this evidence (see the SDN entry)";

  private EntryFacts() {}

  static String datesOfBirth(OfacEvidence e) {
    return listed(e.getBirthDates(), e);
  }

  static String countries(OfacEvidence e) {
    return listed(e.getCountries(), e);
  }

  private static String listed(List<String> values, OfacEvidence e) {
    if (!values.isEmpty()) {
      return Html.esc(String.join("; ", values));
    }
    // Recorded since both were: an entry with neither is rare, one with none recorded is old.
    return e.getBirthDates().isEmpty() && e.getCountries().isEmpty() ? NOT_RECORDED : "none listed";
  }
}
