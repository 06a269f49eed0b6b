package io.userpipe.tin.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NameControlTest {

  @Test
  void anIndividualsIsTheFirstFourLettersOfTheLastName() {
    assertEquals("LOVE", NameControl.of("Ada Lovelace", false));
    assertEquals("LOVE", NameControl.of("Ada King Lovelace", false));
  }

  @Test
  void aShortLastNameGivesFewerCharacters() {
    assertEquals("NG", NameControl.of("Andrew Ng", false));
  }

  @Test
  void suffixesAreNotTheLastName() {
    assertEquals("KING", NameControl.of("Martin Luther King Jr", false));
    assertEquals("KING", NameControl.of("Martin Luther King, Jr.", false));
    assertEquals("GATE", NameControl.of("William Gates III", false));
  }

  @Test
  void hyphensApostrophesAndAccentsAreDropped() {
    assertEquals("SMIT", NameControl.of("Jane Smith-Jones", false));
    assertEquals("OBRI", NameControl.of("Conan O'Brien", false));
    assertEquals("MUNO", NameControl.of("José Muñoz", false));
  }

  @Test
  void aBusinessIsItsFirstFourSignificantCharacters() {
    assertEquals("ANAL", NameControl.of("Analytical Engines LLC", true));
    assertEquals("A&BC", NameControl.of("A & B Cafe", true));
    assertEquals("3MCO", NameControl.of("3M Company", true));
  }

  @Test
  void aLeadingTheIsSkippedUnlessOnlyOneWordFollows() {
    assertEquals("ACME", NameControl.of("The Acme Corporation", true));
    assertEquals("THEH", NameControl.of("The Hague", true));
  }
}
