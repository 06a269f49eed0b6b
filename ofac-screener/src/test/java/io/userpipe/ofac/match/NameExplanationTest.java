package io.userpipe.ofac.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.userpipe.ofac.list.ListFiles;
import io.userpipe.ofac.list.OfacListParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The explanation of a finding agrees with the score the scorer gave: its pairs, weighed as the
 * scorer weighs them, make the same score, each one-to-one pair is the similarity of its two
 * tokens, and it tells only the listed name's tokens.
 */
class NameExplanationTest {
  private final TokenWeights weights =
      new TokenWeights(Map.of("mohammed", 900, "ali", 700, "maria", 300), 30_000);

  private static final List<List<String>> PAIRS =
      List.of(
          List.of("Alexandr Lukashnko", "Alexander Lukashenko"),
          List.of("Mohamed Ali", "Mohammed Ali"),
          List.of("Bashar alAssad", "Bashar al Assad"),
          List.of("SergeiLavrov", "Sergei Lavrov"),
          List.of("Fazl Rabi", "Fazl Rabi Abdul Hamid"),
          List.of("Saddam Hussein al-Dulaimi", "Saddam Hussein al-Tikriti"),
          List.of("J Smith", "John Smith"),
          List.of("Nicolas Maduro Moros", "MADURO MOROS, Nicolas"),
          List.of("James Martin", "MARTIN"),
          List.of("Ivan Petrov", "Olga Sidorova"));

  private PreparedName prepare(String name) {
    return PreparedName.of(NameNormalizer.tokens(name), weights);
  }

  private NameExplanation explain(String query, String listed) {
    return NameExplanation.of(prepare(query), prepare(listed));
  }

  @Test
  void theExplainedPairsMakeTheScoreTheScorerGave() {
    for (List<String> p : PAIRS) {
      PreparedName q = prepare(p.get(0));
      PreparedName n = prepare(p.get(1));
      NameExplanation e = NameExplanation.of(q, n);
      double scored = NameScorer.score(q, n);
      assertEquals(scored, e.score(), 0.0, p.toString());
      assertEquals(scored, rescore(q, n, e.pairings()), 1e-12, p.toString());
    }
  }

  @Test
  void eachOneToOnePairIsTheSimilarityOfItsTokensAndExactOnlyForTheSameToken() {
    for (List<String> p : PAIRS) {
      PreparedName q = prepare(p.get(0));
      PreparedName n = prepare(p.get(1));
      for (NameExplanation.Pairing pair : NameExplanation.of(q, n).pairings()) {
        if (Long.bitCount(pair.query()) == 1 && Long.bitCount(pair.listed()) == 1) {
          int i = Long.numberOfTrailingZeros(pair.query());
          int j = Long.numberOfTrailingZeros(pair.listed());
          String a = q.tokens()[i];
          String b = n.tokens()[j];
          assertEquals(
              NameScorer.tokenSimilarity(a, b, q.skeletons()[i], n.skeletons()[j]),
              pair.similarity(),
              0.0,
              a + "/" + b);
          assertEquals(
              a.equals(b),
              NameScorer.how(a, b, pair.similarity()).equals(TokenMatch.EXACT),
              a + "/" + b);
        }
      }
    }
  }

  @Test
  void itTellsHowEachListedTokenMatched() {
    assertHow(
        "Alexandr Lukashnko",
        "Alexander Lukashenko",
        "alexander typo 0.89",
        "lukashenko typo 0.89");
    assertHow("Mohamed Ali", "Mohammed Ali", "mohammed repeated_letters 0.92", "ali exact 1.0");
    assertHow(
        "Fazl Rabi",
        "Fazl Rabi Abdul Hamid",
        "fazl exact 1.0",
        "rabi exact 1.0",
        "abdul unmatched 0.0",
        "hamid unmatched 0.0");
    assertHow("John Smith", "J Smith", "j initial 0.7", "smith exact 1.0");
    assertHow(
        "Bashar alAssad",
        "Bashar al Assad",
        "bashar exact 1.0",
        "al joined 1.0",
        "assad joined 1.0");
  }

  /** Each listed token as "token how similarity", the similarity to 3 places. */
  private void assertHow(String query, String listed, String... expected) {
    assertEquals(
        List.of(expected),
        explain(query, listed).tokens().stream()
            .map(
                t ->
                    t.listedToken()
                        + " "
                        + t.how()
                        + " "
                        + Math.round(t.similarity() * 1000) / 1000.0)
            .toList(),
        query + " / " + listed);
  }

  @Test
  void itTellsOnlyTheListedNamesTokens() {
    for (List<String> p : PAIRS) {
      assertEquals(
          tokens(p.get(1)),
          explain(p.get(0), p.get(1)).tokens().stream().map(TokenMatch::listedToken).toList(),
          p.toString());
    }
  }

  @Test
  void everyMatchOfTheShippedListIsExplainedWithItsOwnNameScore() throws Exception {
    ScreeningIndex index = ScreeningIndex.build(OfacListParser.parse(ListFiles.shipped(), "t"));
    for (String query :
        List.of("Nicolas Maduro Moros", "Alexandr Lukashnko", "Ramzan Kadyrov", "Sergei Lavrov")) {
      List<ScreeningMatch> matches =
          index.search(new ScreeningQuery(query, null, null, null), 0.6, 10);
      assertFalse(matches.isEmpty(), query);
      for (ScreeningMatch m : matches) {
        assertEquals(
            m.nameScore(),
            index.explain(query, m.matchedName(), m.entry().type()).score(),
            0.0,
            m.matchedName());
      }
    }
  }

  private List<String> tokens(String name) {
    return List.of(prepare(name).tokens());
  }

  /** The scorer's formula, from the explained pairs alone. */
  private static double rescore(
      PreparedName q, PreparedName n, List<NameExplanation.Pairing> pairings) {
    double matched = 0;
    double matchedWeight = 0;
    double rest = 0;
    long usedQ = 0;
    long usedN = 0;
    for (NameExplanation.Pairing p : pairings) {
      matched += p.similarity() * p.weight();
      matchedWeight += p.weight();
      rest += p.rest();
      usedQ |= p.query();
      usedN |= p.listed();
    }
    double unmatchedQ = unmatched(q, usedQ);
    double unmatchedN = unmatched(n, usedN);
    double cheap = pairings.size() >= 2 ? NameScorer.UNMATCHED : 1.0;
    // These names say no family name (no comma): whatever is left out is a cheap omission.
    return matched
        / (matchedWeight
            + 2 * NameScorer.CONFLICT * Math.min(unmatchedQ, unmatchedN)
            + cheap * Math.abs(unmatchedQ - unmatchedN)
            + cheap * rest);
  }

  private static double unmatched(PreparedName name, long used) {
    double w = 0;
    for (int i = 0; i < name.size(); i++) {
      if ((used & (1L << i)) == 0) {
        w += name.unmatchedWeights()[i];
      }
    }
    return w;
  }
}
