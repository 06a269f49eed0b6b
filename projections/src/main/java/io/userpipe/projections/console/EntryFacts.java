package io.userpipe.projections.console;

import io.userpipe.schemas.OfacEvidence;

/**
 * What the evidence says of a listed entry beyond its names. Evidence records the entry's number,
 * names, programs, score, list version and fingerprint, not yet its dates of birth and countries:
 * the console says so rather than show nothing (docs/CONSOLE.md, "Open").
 */
final class EntryFacts {

  static final String NOT_RECORDED = "not recorded in the evidence (see the SDN entry)";

  private EntryFacts() {}

  static String datesOfBirth(OfacEvidence e) {
    return NOT_RECORDED;
  }

  static String countries(OfacEvidence e) {
    return NOT_RECORDED;
  }
}
