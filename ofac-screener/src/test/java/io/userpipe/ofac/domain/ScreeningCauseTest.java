package io.userpipe.ofac.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.userpipe.ofac.domain.OfacInput.Cause;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Given the names screened before, when the names to screen now differ so, then this cause. */
class ScreeningCauseTest {
  private static final ScreenedName PROFILE =
      new ScreenedName(ScreenedName.PROFILE, "Ada Lovelace", false, null, null);
  private static final ScreenedName BUSINESS =
      new ScreenedName(ScreenedName.W9_BUSINESS, "Analytical Engines LLC", true, null, "GB");

  @Test
  void theSameNamesAreAPlainScreening() {
    assertEquals(
        Cause.SCREENING,
        ScreeningCause.between(List.of(PROFILE, BUSINESS), List.of(PROFILE, BUSINESS)));
  }

  @Test
  void aTaxFormsNameGivenOrChangedIsAProfileChange() {
    // a W-9 arrives with a business name: a name was added
    assertEquals(
        Cause.PROFILE_CHANGED,
        ScreeningCause.between(List.of(PROFILE), List.of(PROFILE, BUSINESS)));
    // a new W-9 names another business
    var other = new ScreenedName(ScreenedName.W9_BUSINESS, "Difference Engines", true, null, "GB");
    assertEquals(
        Cause.PROFILE_CHANGED,
        ScreeningCause.between(List.of(PROFILE, BUSINESS), List.of(PROFILE, other)));
    // a form's name that goes
    assertEquals(
        Cause.PROFILE_CHANGED,
        ScreeningCause.between(List.of(PROFILE, BUSINESS), List.of(PROFILE)));
  }

  @Test
  void aFormRepeatingANameAlreadyScreenedWithNothingNewIsAPlainScreening() {
    // given the profile's name with its date of birth
    var born = new ScreenedName(ScreenedName.PROFILE, "Ada Lovelace", false, "1815-12-10", null);
    // when a W-9 gives the same name, without a date of birth
    var w9 = new ScreenedName(ScreenedName.W9_INDIVIDUAL, "Ada Lovelace", false, null, null);
    // then nothing new is known: no new version of the case
    assertEquals(Cause.SCREENING, ScreeningCause.between(List.of(born), List.of(born, w9)));
    // but the same name with a country the profile's lacks is something new
    var w8 = new ScreenedName(ScreenedName.W8BEN, "Ada Lovelace", false, "1815-12-10", "GB");
    assertEquals(Cause.PROFILE_CHANGED, ScreeningCause.between(List.of(born), List.of(born, w8)));
  }

  @Test
  void aDateOfBirthGivenWhereThereWasNoneIsSuppliedAndAChangedOneIsAProfileChange() {
    var born = new ScreenedName(ScreenedName.PROFILE, "Ada Lovelace", false, "1815-12-10", null);
    var reborn = new ScreenedName(ScreenedName.PROFILE, "Ada Lovelace", false, "1816-12-10", null);
    assertEquals(
        Cause.DATE_OF_BIRTH_SUPPLIED,
        ScreeningCause.between(List.of(PROFILE, BUSINESS), List.of(born, BUSINESS)));
    assertEquals(Cause.PROFILE_CHANGED, ScreeningCause.between(List.of(born), List.of(reborn)));
    assertEquals(Cause.PROFILE_CHANGED, ScreeningCause.between(List.of(born), List.of(PROFILE)));
    // a W-8BEN giving the date of birth the profile lacked, for the same name
    var w8 = new ScreenedName(ScreenedName.W8BEN, "Ada Lovelace", false, "1815-12-10", null);
    assertEquals(
        Cause.DATE_OF_BIRTH_SUPPLIED,
        ScreeningCause.between(List.of(PROFILE), List.of(PROFILE, w8)));
  }

  @Test
  void aChangedCountryIsAProfileChange() {
    var elsewhere =
        new ScreenedName(ScreenedName.W9_BUSINESS, "Analytical Engines LLC", true, null, "FR");
    assertEquals(
        Cause.PROFILE_CHANGED,
        ScreeningCause.between(List.of(PROFILE, BUSINESS), List.of(PROFILE, elsewhere)));
  }
}
