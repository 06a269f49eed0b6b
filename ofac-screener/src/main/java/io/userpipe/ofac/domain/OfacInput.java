package io.userpipe.ofac.domain;

import java.util.List;
import java.util.Set;

/** What can happen to a user's OFAC case: a screening, an ID verification, a review. */
public sealed interface OfacInput {

  /** Why a user is screened; a re-screening names what changed since the last one. */
  enum Cause {
    /**
     * The first screening, or a profile change that left the name and date of birth as they were.
     */
    SCREENING,
    /** The name, or a date of birth already given, changed. */
    PROFILE_CHANGED,
    /** A date of birth given where there was none. */
    DATE_OF_BIRTH_SUPPLIED,
    /** A new list version is in force. */
    LIST_VERSION,
    /** A new matcher version screens. */
    MATCHER_VERSION
  }

  /**
   * The matcher's findings for the user's profile as it is now.
   *
   * @param matches the entries at or above the threshold, best first
   * @param matcherVersion the matcher version that found them
   * @param delisted the entries of the case's evidence that the list in force no longer has
   */
  record Screen(
      Cause cause,
      List<Finding> matches,
      String listVersion,
      String matcherVersion,
      Set<Integer> delisted)
      implements OfacInput {
    public Screen {
      matches = List.copyOf(matches);
      delisted = Set.copyOf(delisted);
    }
  }

  /** The user completed ID verification (a platform's command). */
  record SubmitIdVerification(String commandId) implements OfacInput {}

  /**
   * An authenticated operator's decision.
   *
   * @param screeningVersion the version of the case the operator saw; null from a client that does
   *     not send it, taken as the current one
   */
  record Review(
      String commandId, boolean clear, Long screeningVersion, String reviewer, String note)
      implements OfacInput {}
}
