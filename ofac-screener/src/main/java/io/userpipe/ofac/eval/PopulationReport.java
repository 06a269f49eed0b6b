package io.userpipe.ofac.eval;

import io.userpipe.ofac.list.SdnEntry;
import io.userpipe.ofac.list.SdnType;
import io.userpipe.ofac.match.ScreeningIndex;
import io.userpipe.ofac.match.ScreeningMatch;
import io.userpipe.ofac.match.ScreeningQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;

/**
 * False positives on populations of ordinary people and recall on typo'd listed names, per
 * population and split, with and without dates of birth (docs/OFAC.md, "Quality on populations").
 */
public final class PopulationReport {

  /** False positives of one population part. */
  public record FalsePositives(
      String population, Populations.Split split, boolean withBirthDate, int people, int flagged) {
    public double rate() {
      return people == 0 ? 0 : (double) flagged / people;
    }
  }

  /** Recall on one set of listed names. */
  public record Recall(
      String set, Populations.Split split, boolean withBirthDate, int names, int found) {
    public double rate() {
      return names == 0 ? 0 : (double) found / names;
    }
  }

  /** A typo'd listed name: the name as written, the entry it is, its date of birth. */
  record Positive(String name, int entNum, String birthDate, Populations.Split split) {}

  private final ScreeningIndex index;
  private final Populations populations;
  private final int draws;
  private final List<Positive> typos;

  public PopulationReport(ScreeningIndex index, Populations populations, int draws) {
    this.index = index;
    this.populations = populations;
    this.draws = draws;
    this.typos = typos(index, 7);
  }

  /** False positives of every population, both splits, with and without dates of birth. */
  public List<FalsePositives> falsePositives(double threshold) {
    List<FalsePositives> out = new ArrayList<>();
    for (String pop : Populations.NAMES) {
      for (Populations.Split split : Populations.Split.values()) {
        for (boolean dob : new boolean[] {false, true}) {
          double[] best = bestScores(pop, split, dob);
          int flagged = 0;
          for (double b : best) {
            flagged += b >= threshold ? 1 : 0;
          }
          out.add(new FalsePositives(pop, split, dob, best.length, flagged));
        }
      }
    }
    return out;
  }

  /** Every population of a split pooled: people weigh alike, whatever their population. */
  public static FalsePositives pooled(
      List<FalsePositives> all, Populations.Split split, boolean withBirthDate) {
    int people = 0;
    int flagged = 0;
    for (FalsePositives f : all) {
      if (f.split() == split && f.withBirthDate() == withBirthDate) {
        people += f.people();
        flagged += f.flagged();
      }
    }
    return new FalsePositives("all", split, withBirthDate, people, flagged);
  }

  private final java.util.Map<String, double[]> best =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Each person's best match score (0 for none at or above {@link #FLOOR}), computed once. */
  private double[] bestScores(String pop, Populations.Split split, boolean dob) {
    return best.computeIfAbsent(
        pop + "/" + split + "/" + dob,
        k ->
            populations.sample(pop, draws, 2026).stream()
                .filter(p -> p.split() == split)
                .toList()
                .parallelStream()
                .mapToDouble(
                    p -> {
                      List<ScreeningMatch> ms =
                          screen(dob ? p.withBirthDate() : p.nameOnly(), FLOOR);
                      return ms.isEmpty() ? 0 : ms.get(0).score();
                    })
                .toArray());
  }

  /** The lowest threshold the sweep looks at. */
  static final double FLOOR = 0.75;

  /** Recall on typo'd listed names (one edit in one word of an individual's primary name). */
  public List<Recall> typoRecall(double threshold) {
    List<Recall> out = new ArrayList<>();
    for (Populations.Split split : Populations.Split.values()) {
      List<Positive> part = typos.stream().filter(p -> p.split() == split).toList();
      for (boolean dob : new boolean[] {false, true}) {
        Predicate<Positive> hit =
            p ->
                index
                    .search(
                        ScreeningQuery.person(p.name(), dob ? p.birthDate() : null, null),
                        threshold,
                        5)
                    .stream()
                    .anyMatch(m -> m.entry().entNum() == p.entNum());
        int found = (int) part.parallelStream().filter(hit).count();
        out.add(new Recall("typo'd listed names", split, dob, part.size(), found));
      }
    }
    return out;
  }

  /** The people of a population part the matcher flags, with what they matched. */
  public List<String> flagged(String population, Populations.Split split, double threshold) {
    List<String> out = new ArrayList<>();
    for (Populations.Sampled p : populations.sample(population, draws, 2026)) {
      if (p.split() != split) {
        continue;
      }
      List<ScreeningMatch> ms = screen(p.nameOnly(), threshold);
      if (!ms.isEmpty()) {
        ScreeningMatch m = ms.get(0);
        out.add(
            String.format(Locale.ROOT, "%s -> %s %.3f", p.name(), m.matchedName(), m.nameScore()));
      }
    }
    return out;
  }

  /** The typo'd listed names the matcher misses. */
  public List<String> missedTypos(Populations.Split split, double threshold) {
    List<String> out = new ArrayList<>();
    for (Positive p : typos) {
      if (p.split() != split) {
        continue;
      }
      List<ScreeningMatch> ms = index.search(ScreeningQuery.person(p.name(), null, null), 0.5, 3);
      if (ms.stream().noneMatch(m -> m.score() >= threshold && m.entry().entNum() == p.entNum())) {
        out.add(
            p.name()
                + " (ent "
                + p.entNum()
                + ") got "
                + ms.stream()
                    .map(m -> String.format(Locale.ROOT, "%s %.3f", m.matchedName(), m.score()))
                    .toList());
      }
    }
    return out;
  }

  private List<ScreeningMatch> screen(EvalSets.Person p, double threshold) {
    return index.search(ScreeningQuery.person(p.name(), p.birthDate(), p.country()), threshold, 5);
  }

  /**
   * One typo in one word of at least four letters of each individual's primary name, written given
   * names first; the split by entry number.
   */
  static List<Positive> typos(ScreeningIndex index, long seed) {
    Random r = new Random(seed);
    List<Positive> out = new ArrayList<>();
    for (SdnEntry e : index.list().entries()) {
      if (e.type() != SdnType.INDIVIDUAL || !e.name().matches("[\\p{IsLatin} ,.'-]+")) {
        continue;
      }
      // As a profile gives it to screening: last_name, first_name.
      String written = e.name().replaceAll("\\s+", " ").trim();
      String[] words = written.split(" ");
      List<Integer> long4 = new ArrayList<>();
      for (int i = 0; i < words.length; i++) {
        if (words[i].length() >= 4) {
          long4.add(i);
        }
      }
      if (long4.isEmpty()) {
        continue;
      }
      int w = long4.get(r.nextInt(long4.size()));
      boolean comma = words[w].endsWith(",");
      String word = comma ? words[w].substring(0, words[w].length() - 1) : words[w];
      if (word.length() < 4) {
        continue;
      }
      words[w] = typo(word, r) + (comma ? "," : "");
      String dob = e.birthDates().isEmpty() ? null : e.birthDates().get(0);
      out.add(
          new Positive(
              String.join(" ", words),
              e.entNum(),
              dob,
              (e.entNum() & 1) == 0 ? Populations.Split.TUNING : Populations.Split.VALIDATION));
    }
    return out;
  }

  /** One substitution, deletion, insertion or transposition, never of the first letter. */
  static String typo(String word, Random r) {
    String letters = "abcdefghijklmnopqrstuvwxyz";
    int i = 1 + r.nextInt(word.length() - 1);
    char c = letters.charAt(r.nextInt(letters.length()));
    if (Character.isUpperCase(word.charAt(i))) {
      c = Character.toUpperCase(c);
    }
    return switch (r.nextInt(4)) {
      case 0 -> word.substring(0, i) + c + word.substring(i + 1);
      case 1 -> word.substring(0, i) + word.substring(i + 1);
      case 2 -> word.substring(0, i) + c + word.substring(i);
      default ->
          i + 1 < word.length()
              ? word.substring(0, i) + word.charAt(i + 1) + word.charAt(i) + word.substring(i + 2)
              : word.substring(0, i - 1) + word.charAt(i) + word.charAt(i - 1);
    };
  }

  /** Prints the tables of docs/OFAC.md; {@code -Dflagged=POP} lists the tuning part's flags. */
  public static void print(PopulationReport report, double threshold) {
    System.out.printf(
        Locale.ROOT,
        "%n| population | tuning, name | tuning, with DOB | validation, name | validation, with DOB |%n"
            + "|---|---|---|---|---|%n");
    List<FalsePositives> fps = report.falsePositives(threshold);
    for (String pop : Populations.NAMES) {
      StringBuilder row = new StringBuilder("| " + pop + " |");
      for (Populations.Split split : Populations.Split.values()) {
        for (boolean dob : new boolean[] {false, true}) {
          FalsePositives f =
              fps.stream()
                  .filter(
                      x ->
                          x.population().equals(pop)
                              && x.split() == split
                              && x.withBirthDate() == dob)
                  .findFirst()
                  .orElseThrow();
          row.append(
              String.format(
                  Locale.ROOT, " %.2f%% (%d/%d) |", 100 * f.rate(), f.flagged(), f.people()));
        }
      }
      System.out.println(row);
    }
    StringBuilder all = new StringBuilder("| **all** |");
    for (Populations.Split split : Populations.Split.values()) {
      for (boolean dob : new boolean[] {false, true}) {
        FalsePositives f = pooled(fps, split, dob);
        all.append(
            String.format(
                Locale.ROOT, " **%.2f%%** (%d/%d) |", 100 * f.rate(), f.flagged(), f.people()));
      }
    }
    System.out.println(all);
    System.out.printf(
        Locale.ROOT,
        "%n| threshold | tuning: false positives, name / with DOB; typo recall |"
            + " validation: false positives, name / with DOB; typo recall |%n|---|---|---|%n");
    for (double t : new double[] {0.80, 0.82, 0.85, 0.88, 0.90}) {
      List<FalsePositives> at = report.falsePositives(t);
      List<Recall> rec = report.typoRecall(t);
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %.2f |", t));
      for (Populations.Split split : Populations.Split.values()) {
        Recall r =
            rec.stream()
                .filter(x -> x.split() == split && !x.withBirthDate())
                .findFirst()
                .orElseThrow();
        row.append(
            String.format(
                Locale.ROOT,
                " %.2f%% / %.2f%%; %.4f |",
                100 * pooled(at, split, false).rate(),
                100 * pooled(at, split, true).rate(),
                r.rate()));
      }
      System.out.println(row);
    }
    for (Recall r : report.typoRecall(threshold)) {
      System.out.printf(
          Locale.ROOT,
          "recall, %s, %s, %s: %.4f (%d/%d)%n",
          r.set(),
          r.split().name().toLowerCase(Locale.ROOT),
          r.withBirthDate() ? "with DOB" : "name only",
          r.rate(),
          r.found(),
          r.names());
    }
    String flagged = System.getProperty("flagged");
    if (flagged != null) {
      for (String pop : flagged.split(",")) {
        report
            .flagged(pop, Populations.Split.TUNING, threshold)
            .forEach(l -> System.out.println("FLAGGED " + pop + ": " + l));
      }
    }
    if (Boolean.getBoolean("misses")) {
      report
          .missedTypos(Populations.Split.TUNING, threshold)
          .forEach(l -> System.out.println("MISSED TYPO " + l));
    }
  }
}
