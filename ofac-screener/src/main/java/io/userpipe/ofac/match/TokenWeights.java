package io.userpipe.ofac.match;

import java.util.Map;
import java.util.Set;

/**
 * How much a token says about identity: rare tokens weigh 1, tokens shared by many listed names
 * (Mohammed, Ali) weigh less, and name particles (al, bin, de, van) little. Frequencies come from
 * the list itself.
 */
public final class TokenWeights {
  static final Set<String> PARTICLES =
      Set.of(
          "al", "el", "ul", "ad", "as", "ash", "at", "az", "bin", "ben", "ibn", "bint", "binti",
          "bte", "abu", "abd", "abdul", "de", "da", "del", "della", "di", "do", "dos", "das", "du",
          "la", "le", "los", "las", "van", "von", "der", "den", "ter", "y", "e", "mac", "mc", "st");
  private static final float PARTICLE_WEIGHT = 0.25f;
  private static final float FLOOR = 0.35f;
  private static final float UNMATCHED_FLOOR = 0.7f;

  private final Map<String, Integer> documentFrequency;
  private final double rareIdf;
  private final int documents;

  public TokenWeights(Map<String, Integer> documentFrequency, int documents) {
    this.documentFrequency = documentFrequency;
    this.documents = Math.max(documents, 100);
    this.rareIdf = Math.log(this.documents / 20.0);
  }

  /**
   * What the token counts against a name when nothing on the other side explains it: a common token
   * is weak evidence when it agrees, but a contradiction all the same when it does not.
   */
  public float unmatchedWeight(String token) {
    float w = weight(token);
    return PARTICLES.contains(token) || token.length() == 1 ? w : Math.max(w, UNMATCHED_FLOOR);
  }

  public float weight(String token) {
    if (PARTICLES.contains(token)) {
      return PARTICLE_WEIGHT;
    }
    float lengthFactor = token.length() == 1 ? 0.3f : token.length() == 2 ? 0.6f : 1f;
    int df = documentFrequency.getOrDefault(token, 0);
    double idf = Math.log(documents / (df + 1.0));
    float w = (float) Math.max(FLOOR, Math.min(1.0, idf / rareIdf));
    return w * lengthFactor;
  }
}
