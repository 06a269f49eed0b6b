package io.userpipe.ofac.bench;

import io.userpipe.ofac.list.AltName;
import io.userpipe.ofac.list.ListFiles;
import io.userpipe.ofac.list.OfacList;
import io.userpipe.ofac.list.OfacListParser;
import io.userpipe.ofac.list.SdnEntry;
import io.userpipe.ofac.list.SdnType;
import io.userpipe.ofac.match.ScreeningIndex;
import io.userpipe.ofac.match.ScreeningMatch;
import io.userpipe.ofac.match.ScreeningQuery;
import io.userpipe.ofac.match.ScreeningThresholds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * OFAC screening on the full shipped SDN list (docs/BENCHMARKS.md has the figures; run with {@code
 * bin/bench-ofac}).
 *
 * <p>{@link #screen} screens one name per invocation, round-robin over a fixed, seeded mix of
 * queries: a third exact names of SDN individuals (primary or alias, as written on the list), a
 * third those names with one random typo, a third synthetic everyday names that match nothing.
 * {@link #buildIndex} times {@link ScreeningIndex#build} alone; the list is parsed once in setup.
 */
@State(Scope.Benchmark)
public class ScreeningBenchmark {
  /** Queries of each of the three kinds. */
  static final int PER_KIND = 1000;

  static final long SEED = 20231228L;
  static final int LIMIT = 10;

  private static final String[] FIRST_NAMES = {
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Christopher",
    "Karen",
    "Daniel",
    "Emily",
    "Matthew",
    "Ashley",
    "Andrew",
    "Amanda",
    "Joshua",
    "Megan",
    "Brian",
    "Rachel",
    "Kevin",
    "Laura",
    "Hans",
    "Anna",
    "Pierre",
    "Sophie",
    "Lukas",
    "Emma",
    "Giovanni",
    "Giulia",
    "Jan",
    "Eva",
    "Lars",
    "Ingrid",
    "Piotr",
    "Agnieszka",
    "Sean",
    "Siobhan",
    "Jose",
    "Maria",
    "Juan",
    "Carmen",
    "Luis",
    "Ana",
    "Carlos",
    "Lucia",
    "Miguel",
    "Sofia",
    "Diego",
    "Valentina",
    "Javier",
    "Camila",
    "Alejandro",
    "Isabel",
    "Fernando",
    "Guadalupe"
  };

  private static final String[] LAST_NAMES = {
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Martin",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Mueller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Dubois",
    "Lefebvre",
    "Moreau",
    "Rossi",
    "Russo",
    "Bianchi",
    "Jansen",
    "de Vries",
    "Nielsen",
    "Johansson",
    "Kowalski",
    "Nowak",
    "Murphy",
    "O'Brien",
    "Garcia",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Perez",
    "Sanchez",
    "Ramirez",
    "Torres",
    "Flores",
    "Rivera",
    "Gomez",
    "Diaz",
    "Morales",
    "Ortiz",
    "Gutierrez",
    "Castillo",
    "Vargas"
  };

  private OfacList list;
  private ScreeningIndex index;
  private ScreeningQuery[] queries;
  private int next;

  @Setup
  public void setup() throws Exception {
    list = OfacListParser.parse(ListFiles.shipped(), "shipped");
    long t0 = System.nanoTime();
    index = ScreeningIndex.build(list);
    System.out.printf(
        Locale.ROOT,
        "(setup: first, cold build of the index in this fork: %d ms)%n",
        (System.nanoTime() - t0) / 1_000_000);
    queries = Mix.of(list, index).all();
    next = 0;
  }

  /** One screening of the next query name. */
  @Benchmark
  @BenchmarkMode({Mode.Throughput, Mode.SampleTime})
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Threads(1)
  public List<ScreeningMatch> screen() {
    ScreeningQuery q = queries[next];
    if (++next == queries.length) {
      next = 0;
    }
    return index.search(q, ScreeningThresholds.DEFAULT_MATCH, LIMIT);
  }

  /** Building the index of the parsed list. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Threads(1)
  public ScreeningIndex buildIndex() {
    return ScreeningIndex.build(list);
  }

  /** The seeded query mix, by kind. */
  record Mix(List<String> exact, List<String> typo, List<String> synthetic, int syntheticDropped) {

    static Mix of(OfacList list, ScreeningIndex index) {
      Random random = new Random(SEED);
      List<String> names = new ArrayList<>(individualNames(list));
      Collections.shuffle(names, random);
      List<String> exact = List.copyOf(names.subList(0, Math.min(PER_KIND, names.size())));
      List<String> typo = new ArrayList<>(exact.size());
      for (String name : exact) {
        typo.add(typo(name, random));
      }
      // Everyday names; the few that would match a listed name at the default threshold are
      // left out, so that this third measures screening a name that is not on the list.
      LinkedHashSet<String> synthetic = new LinkedHashSet<>();
      int dropped = 0;
      while (synthetic.size() < PER_KIND) {
        String name =
            FIRST_NAMES[random.nextInt(FIRST_NAMES.length)]
                + " "
                + LAST_NAMES[random.nextInt(LAST_NAMES.length)];
        if (synthetic.contains(name)) {
          continue;
        }
        if (!index.search(query(name), ScreeningThresholds.DEFAULT_MATCH, 1).isEmpty()) {
          dropped++;
          continue;
        }
        synthetic.add(name);
      }
      return new Mix(exact, List.copyOf(typo), List.copyOf(synthetic), dropped);
    }

    /** All queries, the three kinds shuffled together (seeded). */
    ScreeningQuery[] all() {
      List<String> names = new ArrayList<>();
      names.addAll(exact);
      names.addAll(typo);
      names.addAll(synthetic);
      Collections.shuffle(names, new Random(SEED + 1));
      return names.stream().map(Mix::query).toArray(ScreeningQuery[]::new);
    }

    static ScreeningQuery query(String name) {
      return ScreeningQuery.person(name, null, null);
    }

    /** Primary names and aliases of individuals, as written on the list. */
    static Collection<String> individualNames(OfacList list) {
      LinkedHashSet<String> out = new LinkedHashSet<>();
      for (SdnEntry e : list.entries()) {
        if (e.type() != SdnType.INDIVIDUAL) {
          continue;
        }
        out.add(e.name());
        for (AltName alt : e.altNames()) {
          out.add(alt.name());
        }
      }
      return out;
    }

    /** One substitution, deletion, insertion or swap of neighbours at a random letter. */
    static String typo(String name, Random random) {
      List<Integer> letters = new ArrayList<>();
      for (int i = 0; i < name.length(); i++) {
        if (Character.isLetter(name.charAt(i))) {
          letters.add(i);
        }
      }
      if (letters.isEmpty()) {
        return name;
      }
      int at = letters.get(random.nextInt(letters.size()));
      char other = (char) ('a' + random.nextInt(26));
      if (Character.isUpperCase(name.charAt(at))) {
        other = Character.toUpperCase(other);
      }
      StringBuilder b = new StringBuilder(name);
      switch (random.nextInt(4)) {
        case 0 -> {
          if (Character.toLowerCase(other) == Character.toLowerCase(name.charAt(at))) {
            other = other == 'z' || other == 'Z' ? (char) (other - 1) : (char) (other + 1);
          }
          b.setCharAt(at, other);
        }
        case 1 -> b.deleteCharAt(at);
        case 2 -> b.insert(at, other);
        default -> {
          if (at + 1 < name.length()
              && Character.isLetter(name.charAt(at + 1))
              && name.charAt(at) != name.charAt(at + 1)) {
            b.setCharAt(at, name.charAt(at + 1));
            b.setCharAt(at + 1, name.charAt(at));
          } else {
            b.deleteCharAt(at);
          }
        }
      }
      return b.toString();
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Holds the index while its heap is measured. */
  private static volatile Object held;

  /**
   * Runs the benchmarks (one fork; screening 3 x 2 s warm-up and 5 x 2 s measured, index build 3 +
   * 10 single shots), then prints the query mix and the heap the index retains. Extra arguments are
   * JMH command-line options, such as {@code -prof stack}.
   */
  public static void main(String[] args) throws Exception {
    CommandLineOptions cli = new CommandLineOptions(args);
    String screen = ScreeningBenchmark.class.getName() + ".screen$";
    List<RunResult> results = new ArrayList<>();
    // The two modes of screen run separately, each in the unit that reads best.
    results.addAll(run(timed(cli, screen).mode(Mode.Throughput).timeUnit(TimeUnit.SECONDS)));
    results.addAll(run(timed(cli, screen).mode(Mode.SampleTime).timeUnit(TimeUnit.MICROSECONDS)));
    results.addAll(
        run(
            base(cli)
                .include(ScreeningBenchmark.class.getName() + ".buildIndex$")
                .warmupIterations(3)
                .measurementIterations(10)));

    System.out.println();
    System.out.println("== Summary ==");
    for (RunResult r : results) {
      var p = r.getParams();
      var s = r.getPrimaryResult();
      System.out.printf(
          Locale.ROOT,
          "%-12s %-8s %14.3f ± %.3f %s%n",
          p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1),
          p.getMode().shortLabel(),
          s.getScore(),
          s.getScoreError(),
          s.getScoreUnit());
      if (p.getMode() == Mode.SampleTime) {
        var stats = s.getStatistics();
        for (double pc : new double[] {50, 90, 99, 99.9, 99.99, 100}) {
          System.out.printf(
              Locale.ROOT,
              "  p%-6s %10.1f us%n",
              pc == 100 ? "100" : String.valueOf(pc),
              stats.getPercentile(pc));
        }
      }
    }
    mixAndHeap();
  }

  private static ChainedOptionsBuilder base(CommandLineOptions cli) {
    return new OptionsBuilder().parent(cli).forks(1).threads(1).shouldDoGC(true);
  }

  private static ChainedOptionsBuilder timed(CommandLineOptions cli, String include) {
    return base(cli)
        .include(include)
        .warmupIterations(3)
        .warmupTime(TimeValue.seconds(2))
        .measurementIterations(5)
        .measurementTime(TimeValue.seconds(2));
  }

  private static Collection<RunResult> run(ChainedOptionsBuilder options) throws Exception {
    return new Runner(options.build()).run();
  }

  /** In this (unforked) JVM: what the query mix finds, and the index's retained heap. */
  private static void mixAndHeap() throws Exception {
    long before0 = usedAfterGc();
    OfacList list = OfacListParser.parse(ListFiles.shipped(), "shipped");
    held = list;
    long withList = usedAfterGc();
    long t0 = System.nanoTime();
    ScreeningIndex index = ScreeningIndex.build(list);
    long buildNanos = System.nanoTime() - t0;
    held = index;
    long withIndex = usedAfterGc();
    System.out.printf(
        Locale.ROOT,
        "Heap (used after GC): list %.1f MB, index on top of the list %.1f MB, both %.1f MB"
            + " (%d names indexed; cold build in this JVM %d ms)%n",
        mb(withList - before0),
        mb(withIndex - withList),
        mb(withIndex - before0),
        index.nameCount(),
        buildNanos / 1_000_000);

    Mix mix = Mix.of(list, index);
    System.out.printf(
        Locale.ROOT,
        "Query mix: %d exact, %d one-typo, %d synthetic (%d synthetic candidates dropped for"
            + " matching); hits at %.2f: exact %.1f%%, typo %.1f%%, synthetic %.1f%%%n",
        mix.exact().size(),
        mix.typo().size(),
        mix.synthetic().size(),
        mix.syntheticDropped(),
        ScreeningThresholds.DEFAULT_MATCH,
        hitRate(index, mix.exact()),
        hitRate(index, mix.typo()),
        hitRate(index, mix.synthetic()));
    held = null;
  }

  private static double hitRate(ScreeningIndex index, List<String> names) {
    int hits = 0;
    for (String n : names) {
      if (!index.search(Mix.query(n), ScreeningThresholds.DEFAULT_MATCH, LIMIT).isEmpty()) {
        hits++;
      }
    }
    return 100.0 * hits / names.size();
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }

  private static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
