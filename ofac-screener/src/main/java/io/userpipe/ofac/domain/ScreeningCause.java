package io.userpipe.ofac.domain;

import io.userpipe.ofac.domain.OfacInput.Cause;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a change of the person's names changed for the screening, comparing what was screened before
 * with what is to be screened now (the profile's and the tax forms' names). The cause decides
 * whether a reviewer's clearance still holds and how a finding that no longer matches is marked.
 *
 * <p>What counts is what the screening knows about the person, not where it came from: a W-9
 * repeating the profile's name, with no date of birth or country the profile's name lacks, tells
 * nothing new, and must not make a new version of a case a reviewer is deciding.
 */
public final class ScreeningCause {
  private ScreeningCause() {}

  /**
   * {@link Cause#SCREENING} when nothing new is known; {@link Cause#DATE_OF_BIRTH_SUPPLIED} when
   * the same names are now known with dates of birth where they had none; else {@link
   * Cause#PROFILE_CHANGED} (a name came, went or changed, or a date of birth or country changed).
   */
  public static Cause between(List<ScreenedName> before, List<ScreenedName> after) {
    Set<Known> was = known(before);
    Set<Known> now = known(after);
    if (was.equals(now)) {
      return Cause.SCREENING;
    }
    return datesSupplied(was, now) ? Cause.DATE_OF_BIRTH_SUPPLIED : Cause.PROFILE_CHANGED;
  }

  /**
   * What one name tells the screening, its source aside. Names compare exactly, as a profile's
   * always did: a change of spelling alone is a change (the write's answer waits for its verdict).
   */
  private record Known(String name, boolean business, String dateOfBirth, String country) {
    static Known of(ScreenedName n) {
      return new Known(n.name(), n.business(), n.dateOfBirth(), n.country());
    }

    boolean sameName(Known o) {
      return name.equals(o.name) && business == o.business;
    }

    /** Everything this tells, {@code o} tells too (and more, or the same). */
    boolean coveredBy(Known o) {
      return sameName(o)
          && (dateOfBirth == null || dateOfBirth.equals(o.dateOfBirth))
          && (country == null || country.equals(o.country));
    }
  }

  /** The distinct things known, leaving out one that another of the same name tells more than. */
  private static Set<Known> known(List<ScreenedName> names) {
    Set<Known> all = new LinkedHashSet<>();
    names.forEach(n -> all.add(Known.of(n)));
    Set<Known> kept = new LinkedHashSet<>();
    for (Known k : all) {
      if (all.stream().noneMatch(o -> !o.equals(k) && k.coveredBy(o))) {
        kept.add(k);
      }
    }
    return kept;
  }

  /**
   * Every name known now was known before, the same but for a date of birth given where there was
   * none, and every name known before is still known.
   */
  private static boolean datesSupplied(Set<Known> was, Set<Known> now) {
    for (Known k : now) {
      boolean before =
          was.contains(k)
              || (k.dateOfBirth() != null
                  && was.contains(new Known(k.name(), k.business(), null, k.country())));
      if (!before) {
        return false;
      }
    }
    for (Known k : was) {
      boolean kept =
          now.stream()
              .anyMatch(
                  o ->
                      o.equals(k)
                          || (k.dateOfBirth() == null
                              && o.sameName(k)
                              && Objects.equals(o.country(), k.country())));
      if (!kept) {
        return false;
      }
    }
    return true;
  }
}
