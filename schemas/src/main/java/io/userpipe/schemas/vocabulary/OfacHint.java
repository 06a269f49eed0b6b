package io.userpipe.schemas.vocabulary;

import java.util.Locale;

/**
 * What a finding of an OFAC screening says would help decide it, the one home of the hints' names
 * (the evidence's {@code hint}). A hint names a kind of fact, never a fact about the person: the
 * evidence is published where personal data may not go.
 */
public enum OfacHint {
  /**
   * No date of birth was screened, the listed entry has one, and the name alone cannot decide: a
   * date of birth years apart from the entry's would take the match below the threshold, one that
   * agrees would keep it (docs/OFAC.md, "A date of birth would help"). Supplying one goes to the
   * reviewer with the comparison; it never lowers the status by itself.
   */
  DATE_OF_BIRTH_WOULD_HELP;

  /** The name on the wire and in the API: {@code date_of_birth_would_help}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The hint of a wire name; null for null (no hint). */
  public static OfacHint of(String wire) {
    return wire == null ? null : valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
