package io.userpipe.ofac.match;

/** Default screening thresholds; services take theirs from configuration. */
public final class ScreeningThresholds {
  /**
   * A user whose best match reaches this score must verify their identity. Chosen on the
   * development sets as the point where recall, false positives and pair F1 all meet their goals
   * (docs/OFAC.md).
   */
  public static final double DEFAULT_MATCH = 0.85;

  private ScreeningThresholds() {}
}
