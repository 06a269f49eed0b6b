package io.userpipe.ofac.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NameScorerTest {
  private final TokenWeights weights =
      new TokenWeights(Map.of("mohammed", 900, "ali", 700, "maria", 300), 30_000);

  private double score(String a, String b) {
    return NameScorer.score(
        PreparedName.of(NameNormalizer.tokens(a), weights),
        PreparedName.of(NameNormalizer.tokens(b), weights));
  }

  /** Both names as {@code Family, Given}, each side knowing its family names. */
  private double withFamily(String a, String b) {
    return NameScorer.score(
        PreparedName.of(NameNormalizer.tokens(a), weights, NameNormalizer.familyTokens(a)),
        PreparedName.of(NameNormalizer.tokens(b), weights, NameNormalizer.familyTokens(b)));
  }

  @Test
  void theSameNameInAnyOrderScoresOne() {
    assertEquals(1.0, score("Nicolas Maduro Moros", "MADURO MOROS, Nicolas"), 1e-9);
    assertEquals(1.0, score("Salman Mohammed bin", "Mohammed bin Salman"), 1e-9);
  }

  @Test
  void aTypoCostsLittleAndAnotherNameALot() {
    double typo = score("Alexandr Lukashnko", "Alexander Lukashenko");
    double other = score("Alexander Lukashenko", "Alexander Kravchenko");
    assertTrue(typo > 0.85, "typo " + typo);
    assertTrue(other < 0.7, "other " + other);
  }

  @Test
  void aWordSplitOrJoinedIsStillTheSameName() {
    assertTrue(score("SergeiLavrov", "Sergei Lavrov") > 0.85);
    assertTrue(score("Bashar al Assad", "Bashar alAssad") > 0.85);
    assertTrue(score("MYONGC HIN", "MYONG CHIN") > 0.85);
    // but two syllables that make four letters are no name, even exactly (Tô Tú, TUTO)
    assertTrue(score("To Tu", "TUTO") < 0.85, "to tu " + score("To Tu", "TUTO"));
  }

  @Test
  void aWordWrittenTwiceIsTwoWordsSoATypoInOneCopyIsATypo() {
    // given listed names that repeat a word, as double surnames and patronymics do
    // and a person who gives them as a profile does, family names first
    double surname = withFamily("Alvarez Alvarcz, Wenceslao", "ALVAREZ ALVAREZ, Wenceslao");
    double given = withFamily("Isesa, Issa Osman", "ISSA, Issa Osman");
    // then a typo in one copy costs what a typo costs, not a family name left out
    assertTrue(surname > 0.85, "surname " + surname);
    assertTrue(given > 0.85, "given " + given);
    // and a copy left out is left out: one Alvarez is not both
    assertTrue(
        withFamily("Alvarez, Wenceslao", "ALVAREZ ALVAREZ, Wenceslao")
            < withFamily("Alvarez Alvarez, Wenceslao", "ALVAREZ ALVAREZ, Wenceslao"));
  }

  @Test
  void aNameWrittenInHanCharactersCannotReachTheThresholdByItsPinyinAlone() {
    // given a person who writes 余瑾, and the listed YU, Jin: one pinyin, which dozens of
    // characters write (余, 于, 俞, 虞, 禹 for yu alone)
    double han =
        NameScorer.score(
            PreparedName.query("余, 瑾", weights), PreparedName.query("YU, Jin", weights));
    double latin =
        NameScorer.score(
            PreparedName.query("Yu, Jin", weights), PreparedName.query("YU, Jin", weights));
    // then the name alone stays below the default threshold, and a date of birth that agrees
    // takes it to review; the same name written in Latin letters is the same name
    assertEquals(PreparedName.HAN_CEILING, han, 1e-9);
    assertTrue(han < ScreeningThresholds.DEFAULT_MATCH, "han " + han);
    assertTrue(han + ProfileAgreement.SAME_DATE >= ScreeningThresholds.DEFAULT_MATCH);
    assertEquals(1.0, latin, 1e-9);
  }

  @Test
  void aContradictingTokenCostsMoreThanAnOmittedOne() {
    double omitted = score("Fazl Rabi", "Fazl Rabi Abdul Hamid");
    double contradicted = score("Saddam Hussein al-Dulaimi", "Saddam Hussein al-Tikriti");
    assertTrue(omitted > 0.85, "omitted " + omitted);
    assertTrue(contradicted < 0.85, "contradicted " + contradicted);
  }

  @Test
  void oneWordInCommonIsNotTheSameNameWithTheRestLeftOut() {
    double oneWord = score("James Martin", "MARTIN");
    double twoWords = score("Fazl Rabi", "Fazl Rabi Abdul Hamid");
    assertTrue(oneWord < 0.85, "one word " + oneWord);
    assertTrue(twoWords > 0.85, "two words " + twoWords);
    assertEquals(1.0, score("Martin", "MARTIN"), 1e-9);
  }

  @Test
  void commonTokensAloneAreWeakEvidence() {
    assertTrue(score("Mohammed Ali", "Mohammed Ali") == 1.0);
    double rare = score("Zakaria Obeidat", "Zakaria Obeidat Qusai");
    double common = score("Mohammed Ali", "Mohammed Ali Zakaria");
    assertTrue(common < rare, common + " < " + rare);
  }

  @Test
  void soundAlikeSpellingsAndTransliterationsMatch() {
    assertTrue(score("Moammar Qaddafi", "Muammar Gaddafi") > 0.85);
    assertTrue(score("Wolodymyr", "Volodymyr") > 0.85);
    assertTrue(score("فرناندو بيريز", "Fernando Pérez") > 0.85);
  }

  @Test
  void repeatedLettersReversedWordsAndInitialsAreRecognised() {
    assertTrue(score("Kim Jong-uun", "Kim Jong-un") > 0.85);
    assertTrue(score("rimidalV nituP", "Vladimir Putin") > 0.85);
    assertTrue(
        score("N. Nazarbayev", "Nursultan Nazarbayev")
            > score("A. Nazarbayev", "Nursultan Nazarbayev"));
  }

  @Test
  void editDistanceAndJaroWinklerAgreeWithKnownValues() {
    assertEquals(2, Similarity.osaWithin("kitten", "sittin", 3));
    assertEquals(1, Similarity.osaWithin("ab", "ba", 3));
    assertEquals(2, Similarity.osaWithin("kitten", "sitting", 1), "beyond the bound: bound + 1");
    assertEquals(3, Similarity.osaWithin("abcdef", "badcfe", 3));
    assertTrue(Similarity.sameCollapsed("kim jong uun", "kim jong un"));
    assertEquals(0.961, Similarity.jaroWinkler("martha", "marhta"), 0.001);
    assertEquals(0.813, Similarity.jaroWinkler("dixon", "dicksonx"), 0.001);
  }
}
