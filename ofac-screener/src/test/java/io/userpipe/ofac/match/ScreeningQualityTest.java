package io.userpipe.ofac.match;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.ofac.eval.PopulationReport;
import io.userpipe.ofac.eval.Populations;
import io.userpipe.ofac.eval.QualityReport;
import io.userpipe.ofac.list.ListFiles;
import io.userpipe.ofac.list.OfacListParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void meetsRecallFalsePositiveAndPairLevelsAtTheDefaultThreshold() {
    QualityReport.Figures f = report.matcher(ScreeningThresholds.DEFAULT_MATCH);
    System.out.println(f.line());
    assertTrue(f.positives() > 100, "positives found on the list: " + f.positives());
    assertTrue(f.recall() >= 0.99, f.line());
    assertTrue(f.falsePositiveRate() <= 0.001, f.line());
    // 0.852 before issue 19's stricter rules, which lose five labelled pairs on purpose
    // (docs/OFAC.md, "Quality": Tim/Tom Cook, Mihel/Milei, ...) and gain one.
    assertTrue(f.pairF1() >= 0.83, f.line());
  }

  /**
   * On the validation part of the populations (family names the tuning part never had), at the
   * default: the levels measured when the default was chosen (docs/OFAC.md, "Quality on
   * populations"), so that no change raises false positives or lowers recall unseen. The issue's
   * goals (0.2% and 0.05% in every population) are not all met: the table says where.
   */
  @Test
  void holdsOnPopulationsItWasNeverTunedOn() {
    PopulationReport populations = new PopulationReport(report.index(), Populations.load(), 4_000);
    List<PopulationReport.FalsePositives> fps =
        populations.falsePositives(ScreeningThresholds.DEFAULT_MATCH);
    PopulationReport.FalsePositives nameOnly =
        PopulationReport.pooled(fps, Populations.Split.VALIDATION, false);
    PopulationReport.FalsePositives withDob =
        PopulationReport.pooled(fps, Populations.Split.VALIDATION, true);
    System.out.printf(
        "populations, validation: name only %.3f%%, with DOB %.3f%%%n",
        100 * nameOnly.rate(), 100 * withDob.rate());
    assertTrue(nameOnly.people() > 15_000, "people: " + nameOnly.people());
    // matcher 3: 0.68% and 0.11% at 20,000 draws (matcher 2: 0.81%, 0.14%; levels 1.2%, 0.25%)
    assertTrue(nameOnly.rate() <= 0.009, "name only: " + nameOnly);
    assertTrue(withDob.rate() <= 0.002, "with a date of birth: " + withDob);
    for (PopulationReport.FalsePositives f : fps) {
      if (f.split() == Populations.Split.VALIDATION && !f.withBirthDate()) {
        boolean hard = f.population().equals("pakistani");
        assertTrue(f.rate() <= (hard ? 0.06 : 0.008), f.toString());
      }
      if (f.population().equals("chinese_script")) {
        // a name in Han characters reaches the threshold only with a date of birth that agrees
        assertTrue(f.rate() <= 0.001, f.toString());
      }
    }
    for (PopulationReport.Recall r : populations.typoRecall(ScreeningThresholds.DEFAULT_MATCH)) {
      assertTrue(r.names() > 3_000, r.toString());
      assertTrue(r.rate() >= 0.99, r.toString()); // 0.985 before a word written twice counted twice
    }
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
