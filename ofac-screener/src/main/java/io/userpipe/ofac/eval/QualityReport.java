package io.userpipe.ofac.eval;

import io.userpipe.ofac.list.ListFiles;
import io.userpipe.ofac.list.OfacList;
import io.userpipe.ofac.list.OfacListParser;
import io.userpipe.ofac.list.SdnEntry;
import io.userpipe.ofac.list.SdnType;
import io.userpipe.ofac.match.BestPairsJaroWinkler;
import io.userpipe.ofac.match.NameNormalizer;
import io.userpipe.ofac.match.NameScorer;
import io.userpipe.ofac.match.ScreeningIndex;
import io.userpipe.ofac.match.ScreeningMatch;
import io.userpipe.ofac.match.ScreeningQuery;
import io.userpipe.ofac.match.ScreeningThresholds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The screening quality harness: recall on typo'd sanctioned people, false positives on synthetic
 * negatives, and precision/recall/F1 on labelled person-name pairs, for this project's matcher and,
 * in the same run, the plain Jaro-Winkler-over-best-token-pairs baseline.
 *
 * <p>Run: {@code bin/ofac-quality [eval-dir] [list-dir]} (defaults: {@code
 * ../shared/data/ofac/eval} and the shipped 2023-12-28 list).
 */
public final class QualityReport {
  /** The matcher's figures on one set of metrics. */
  public record Figures(
      String matcher,
      double threshold,
      int positives,
      int found,
      int negatives,
      int falsePositives,
      int truePairs,
      int falsePairs,
      int missedPairs) {

    public double recall() {
      return positives == 0 ? 0 : (double) found / positives;
    }

    public double falsePositiveRate() {
      return negatives == 0 ? 0 : (double) falsePositives / negatives;
    }

    public double pairPrecision() {
      return truePairs + falsePairs == 0 ? 0 : (double) truePairs / (truePairs + falsePairs);
    }

    public double pairRecall() {
      return truePairs + missedPairs == 0 ? 0 : (double) truePairs / (truePairs + missedPairs);
    }

    public double pairF1() {
      double p = pairPrecision();
      double r = pairRecall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public String line() {
      return String.format(
          Locale.ROOT,
          "%-28s threshold %.2f | recall %.4f (%d/%d) | false positives %.4f%% (%d/%d) |"
              + " pairs P %.3f R %.3f F1 %.3f",
          matcher,
          threshold,
          recall(),
          found,
          positives,
          100 * falsePositiveRate(),
          falsePositives,
          negatives,
          pairPrecision(),
          pairRecall(),
          pairF1());
    }
  }

  private final ScreeningIndex index;
  private final List<EvalSets.Person> treated;
  private final List<Set<Integer>> expected;
  private final List<EvalSets.Person> negatives;
  private final List<EvalSets.Pair> personPairs;

  public QualityReport(Path evalDir, OfacList list) throws java.io.IOException {
    this.index = ScreeningIndex.build(list);
    List<EvalSets.Person> untreated =
        EvalSets.people(evalDir.resolve("positives_un_untreated.csv"));
    List<EvalSets.Person> treatedAll = EvalSets.people(evalDir.resolve("positives_un_treated.csv"));
    Map<Set<String>, Set<Integer>> byTokenSet = new HashMap<>();
    for (SdnEntry e : list.entries()) {
      if (e.type() != SdnType.INDIVIDUAL) {
        continue;
      }
      byTokenSet.computeIfAbsent(tokenSet(e.name()), k -> new HashSet<>()).add(e.entNum());
      e.altNames().stream()
          .filter(a -> !a.weak())
          .forEach(
              a ->
                  byTokenSet
                      .computeIfAbsent(tokenSet(a.name()), k -> new HashSet<>())
                      .add(e.entNum()));
    }
    this.treated = new ArrayList<>();
    this.expected = new ArrayList<>();
    for (int i = 0; i < untreated.size(); i++) {
      Set<Integer> ents = byTokenSet.get(tokenSet(untreated.get(i).name()));
      if (ents != null) {
        treated.add(treatedAll.get(i));
        expected.add(ents);
      }
    }
    this.negatives = EvalSets.people(evalDir.resolve("negatives_us.csv"));
    this.personPairs =
        EvalSets.pairs(evalDir.resolve("cases.csv")).stream()
            .filter(p -> p.schema().equals("Person"))
            .toList();
  }

  /** Lower case, punctuation removed, as a set: how the positives were matched to the list. */
  static Set<String> tokenSet(String name) {
    return new HashSet<>(NameNormalizer.tokens(name, false));
  }

  public ScreeningIndex index() {
    return index;
  }

  /** This project's matcher at {@code threshold}. */
  public Figures matcher(double threshold) {
    int found =
        (int)
            IntStream.range(0, treated.size())
                .parallel()
                .filter(
                    i ->
                        screen(treated.get(i), threshold).stream()
                            .anyMatch(m -> expected.get(i).contains(m.entry().entNum())))
                .count();
    int fp = (int) negatives.parallelStream().filter(p -> !screen(p, threshold).isEmpty()).count();
    int[] pairs = new int[3];
    for (EvalSets.Pair p : personPairs) {
      double s =
          NameScorer.score(
              index.prepare(p.name1(), SdnType.INDIVIDUAL),
              index.prepare(p.name2(), SdnType.INDIVIDUAL));
      count(pairs, s >= threshold, p.match());
    }
    return new Figures(
        "matcher",
        threshold,
        treated.size(),
        found,
        negatives.size(),
        fp,
        pairs[0],
        pairs[1],
        pairs[2]);
  }

  private List<ScreeningMatch> screen(EvalSets.Person p, double threshold) {
    return index.search(ScreeningQuery.person(p.name(), p.birthDate(), p.country()), threshold, 5);
  }

  /**
   * The baseline at {@code threshold}, by brute force over every individual's names; {@code
   * negativeStride} takes every n-th negative (1 for all) to bound the run time.
   */
  public Figures baseline(double threshold, int negativeStride) {
    List<List<String>> names = new ArrayList<>();
    List<Integer> ents = new ArrayList<>();
    for (SdnEntry e : index.list().entries()) {
      if (e.type() != SdnType.INDIVIDUAL) {
        continue;
      }
      names.add(NameNormalizer.tokens(e.name(), false));
      ents.add(e.entNum());
      e.altNames()
          .forEach(
              a -> {
                names.add(NameNormalizer.tokens(a.name(), false));
                ents.add(e.entNum());
              });
    }
    int found =
        (int)
            IntStream.range(0, treated.size())
                .parallel()
                .filter(
                    i -> {
                      List<String> q = NameNormalizer.tokens(treated.get(i).name(), false);
                      for (int n = 0; n < names.size(); n++) {
                        if (expected.get(i).contains(ents.get(n))
                            && BestPairsJaroWinkler.score(q, names.get(n)) >= threshold) {
                          return true;
                        }
                      }
                      return false;
                    })
                .count();
    List<EvalSets.Person> sample = new ArrayList<>();
    for (int i = 0; i < negatives.size(); i += negativeStride) {
      sample.add(negatives.get(i));
    }
    int fp =
        (int)
            sample.parallelStream()
                .filter(
                    p -> {
                      List<String> q = NameNormalizer.tokens(p.name(), false);
                      return names.stream()
                          .anyMatch(n -> BestPairsJaroWinkler.score(q, n) >= threshold);
                    })
                .count();
    int[] pairs = new int[3];
    for (EvalSets.Pair p : personPairs) {
      double s =
          BestPairsJaroWinkler.score(
              NameNormalizer.tokens(p.name1(), false), NameNormalizer.tokens(p.name2(), false));
      count(pairs, s >= threshold, p.match());
    }
    return new Figures(
        "baseline jaro-winkler pairs",
        threshold,
        treated.size(),
        found,
        sample.size(),
        fp,
        pairs[0],
        pairs[1],
        pairs[2]);
  }

  private static void count(int[] pairs, boolean predicted, boolean actual) {
    if (predicted && actual) {
      pairs[0]++;
    } else if (predicted) {
      pairs[1]++;
    } else if (actual) {
      pairs[2]++;
    }
  }

  /** The rows the matcher gets wrong at {@code threshold}, for studying causes (not cases). */
  public List<String> misses(double threshold) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < treated.size(); i++) {
      EvalSets.Person p = treated.get(i);
      Set<Integer> want = expected.get(i);
      List<ScreeningMatch> ms =
          index.search(ScreeningQuery.person(p.name(), p.birthDate(), p.country()), 0.5, 3);
      if (ms.stream().noneMatch(m -> m.score() >= threshold && want.contains(m.entry().entNum()))) {
        out.add("MISSED " + p + " expected " + expected.get(i) + " got " + describe(ms));
      }
    }
    for (EvalSets.Person p : negatives) {
      List<ScreeningMatch> ms = screen(p, threshold);
      if (!ms.isEmpty()) {
        out.add("FALSE POSITIVE " + p + " -> " + describe(ms));
      }
    }
    for (EvalSets.Pair p : personPairs) {
      double s =
          NameScorer.score(
              index.prepare(p.name1(), SdnType.INDIVIDUAL),
              index.prepare(p.name2(), SdnType.INDIVIDUAL));
      if ((s >= threshold) != p.match()) {
        out.add(
            String.format(
                Locale.ROOT,
                "PAIR %s %.3f %s | %s",
                p.match() ? "FN" : "FP",
                s,
                p.name1(),
                p.name2()));
      }
    }
    return out;
  }

  private static String describe(List<ScreeningMatch> ms) {
    StringBuilder b = new StringBuilder();
    for (ScreeningMatch m : ms) {
      b.append(
          String.format(
              Locale.ROOT,
              "[%d %s %.3f/%.3f] ",
              m.entry().entNum(),
              m.matchedName(),
              m.score(),
              m.nameScore()));
    }
    return b.toString();
  }

  public static void main(String[] args) throws Exception {
    Path eval = Path.of(args.length > 0 ? args[0] : "../shared/data/ofac/eval");
    ListFiles files = args.length > 1 ? ListFiles.from(args[1]) : ListFiles.shipped();
    double threshold =
        Double.parseDouble(
            System.getProperty("threshold", Double.toString(ScreeningThresholds.DEFAULT_MATCH)));
    QualityReport report = new QualityReport(eval, OfacListParser.parse(files, "eval"));
    if (Boolean.getBoolean("misses")) {
      report.misses(threshold).forEach(System.out::println);
    }
    System.out.println(report.matcher(threshold).line());
    if (!Boolean.getBoolean("skipPopulations")) {
      PopulationReport.print(
          new PopulationReport(
              report.index(), Populations.load(), Integer.getInteger("draws", 20_000)),
          threshold);
    }
    if (Boolean.getBoolean("skipBaseline")) {
      return;
    }
    int stride = Integer.getInteger("baselineStride", 1);
    for (String t : System.getProperty("baselineThresholds", "0.90").split(",")) {
      System.out.println(report.baseline(Double.parseDouble(t), stride).line());
    }
  }
}
