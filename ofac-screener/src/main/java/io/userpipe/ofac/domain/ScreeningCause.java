package io.userpipe.ofac.domain;

import io.userpipe.ofac.domain.OfacInput.Cause;
import java.util.List;
import java.util.Objects;

/**
 * What a change of the person's names changed for the screening, comparing the names screened
 * before with those to screen now (the profile's and the tax forms'). The cause decides whether a
 * reviewer's clearance still holds and how a finding that no longer matches is marked.
 */
public final class ScreeningCause {
  private ScreeningCause() {}

  /**
   * {@link Cause#SCREENING} when nothing screened changed; {@link Cause#DATE_OF_BIRTH_SUPPLIED}
   * when the names are the same and only dates of birth were given where there were none; else
   * {@link Cause#PROFILE_CHANGED} (a name came, went or changed, or a date of birth or country
   * given before changed).
   */
  public static Cause between(List<ScreenedName> before, List<ScreenedName> after) {
    if (before.equals(after)) {
      return Cause.SCREENING;
    }
    if (before.size() != after.size()) {
      return Cause.PROFILE_CHANGED;
    }
    for (int i = 0; i < before.size(); i++) {
      ScreenedName was = before.get(i);
      ScreenedName now = after.get(i);
      boolean sameOtherwise =
          was.source().equals(now.source())
              && was.name().equals(now.name())
              && was.business() == now.business()
              && Objects.equals(was.country(), now.country());
      boolean dateKeptOrSupplied =
          was.dateOfBirth() == null || was.dateOfBirth().equals(now.dateOfBirth());
      if (!sameOtherwise || !dateKeptOrSupplied) {
        return Cause.PROFILE_CHANGED;
      }
    }
    return Cause.DATE_OF_BIRTH_SUPPLIED;
  }
}
