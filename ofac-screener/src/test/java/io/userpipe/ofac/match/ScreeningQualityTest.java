package io.userpipe.ofac.match;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.ofac.eval.QualityReport;
import io.userpipe.ofac.list.ListFiles;
import io.userpipe.ofac.list.OfacListParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quality harness over the development sets of ../shared/data/ofac/eval, asserted at the levels
 * the matcher reaches at its default threshold (docs/OFAC.md has the figures).
 */
class ScreeningQualityTest {
  private static final Path EVAL = Path.of("../../shared/data/ofac/eval");
  private static QualityReport report;

  @BeforeAll
  static void load() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(EVAL), "the shared evaluation sets are here");
    report = new QualityReport(EVAL, OfacListParser.parse(ListFiles.shipped(), "shipped"));
  }

  @Test
  void meetsRecallFalsePositiveAndPairGoalsAtTheDefaultThreshold() {
    QualityReport.Figures f = report.matcher(ScreeningThresholds.DEFAULT_MATCH);
    System.out.println(f.line());
    assertTrue(f.positives() > 100, "positives found on the list: " + f.positives());
    assertTrue(f.recall() >= 0.99, f.line());
    assertTrue(f.falsePositiveRate() <= 0.001, f.line());
    assertTrue(f.pairF1() >= 0.85, f.line());
  }

  @Test
  void beatsThePlainJaroWinklerBaselineOnFalsePositivesAndPairs() {
    QualityReport.Figures ours = report.matcher(ScreeningThresholds.DEFAULT_MATCH);
    QualityReport.Figures baseline = report.baseline(0.90, 20);
    System.out.println(baseline.line());
    assertTrue(ours.falsePositiveRate() < baseline.falsePositiveRate(), baseline.line());
    assertTrue(ours.pairF1() > baseline.pairF1(), baseline.line());
  }
}
