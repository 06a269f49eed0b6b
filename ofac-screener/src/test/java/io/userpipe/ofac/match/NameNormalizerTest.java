package io.userpipe.ofac.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NameNormalizerTest {

  @Test
  void putsSurnameFirstNamesInReadingOrder() {
    assertEquals(
        List.of("nicolas", "maduro", "moros"), NameNormalizer.tokens("MADURO MOROS, Nicolas"));
  }

  @Test
  void dropsAccentsCaseAndApostrophes() {
    assertEquals(
        List.of("abd", "al", "rahman", "al", "nuaymi"),
        NameNormalizer.tokens("‘ABD AL-RAHMAN AL-NU’AYMI"));
    assertEquals(List.of("jose", "nunez"), NameNormalizer.tokens("José Núñez"));
  }

  @Test
  void aPersonsNameKeepsTheWordsThatAreACompanysLegalForm() {
    // given names where sa and ag are names (Vietnamese Sa, the Tuareg Ag of HITTA, Sidan Ag)
    assertEquals(List.of("dinh", "sa"), NameNormalizer.personTokens("Đinh Sa"));
    assertEquals(List.of("sidan", "ag", "hitta"), NameNormalizer.personTokens("HITTA, Sidan Ag"));
    // a company's name still drops them
    assertEquals(List.of("banco", "nacional"), NameNormalizer.tokens("Banco Nacional S.A."));
  }

  @Test
  void transliteratesOtherScripts() {
    assertEquals(List.of("vladimir", "putin"), NameNormalizer.tokens("Владимир Путин"));
    assertEquals(List.of("frnandw", "byryz"), NameNormalizer.tokens("فرناندو بيريز"));
    // a Han name is its family name and its given name as one word, as the list writes them
    assertEquals(List.of("xi", "jinping"), NameNormalizer.tokens("习近平"));
    assertEquals(List.of("jinping", "xi"), NameNormalizer.tokens("习, 近平"));
    assertEquals(List.of("yu", "yan", "wu"), NameNormalizer.tokens("宇 燕 吴"), "written apart");
  }

  @Test
  void removesTitlesStopwordsAndCompanySuffixes() {
    assertEquals(List.of("rami", "makhlouf"), NameNormalizer.tokens("Dr. Rami Makhlouf"));
    assertEquals(List.of("cimex"), NameNormalizer.tokens("CIMEX, S.A."));
    assertEquals(List.of("bank", "cuba"), NameNormalizer.tokens("The Bank of Cuba Ltd."));
  }

  @Test
  void readsDigitsInsideWordsAsLetters() {
    assertEquals(List.of("igor", "sechin"), NameNormalizer.tokens("Ig0r Sech1n"));
  }

  @Test
  void keepsAllWordsWhenEveryOneIsAStopword() {
    assertEquals(List.of("the", "company"), NameNormalizer.tokens("The Company"));
  }
}
