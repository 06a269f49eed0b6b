package io.userpipe.ofac.domain;

import io.userpipe.schemas.vocabulary.OfacStatus;
import java.util.List;
import java.util.Map;

/**
 * What the decider knows of one user's OFAC case.
 *
 * @param status null before the first screening
 * @param evidence the findings of the case: those that match and those that lapsed
 * @param cleared ent_num to entry fingerprint of the entries a reviewer cleared this user of, for
 *     the profile the reviewer saw
 * @param listVersion the list version the user was last screened against
 * @param matcherVersion the matcher version the user was last screened with (null before the first
 *     screening)
 * @param screeningVersion counts the changes of the case; a review decides one version
 */
public record OfacCase(
    OfacStatus status,
    List<Finding> evidence,
    Map<Integer, String> cleared,
    String listVersion,
    String matcherVersion,
    long screeningVersion) {
  /** A user not screened yet. */
  public static final OfacCase NEW = new OfacCase(null, List.of(), Map.of(), null, null, 0);

  public OfacCase {
    evidence = List.copyOf(evidence);
    cleared = Map.copyOf(cleared);
  }
}
