package io.userpipe.ofac.cli;

import io.userpipe.ofac.list.ListFiles;
import io.userpipe.ofac.list.OfacListParser;
import io.userpipe.ofac.match.ScreeningIndex;
import io.userpipe.ofac.match.ScreeningMatch;
import io.userpipe.ofac.match.ScreeningQuery;
import io.userpipe.ofac.match.ScreeningThresholds;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Bulk screening: reads a CSV with a header naming {@code name} (or {@code full_name}) and
 * optionally {@code date_of_birth} and {@code country} (or {@code nationality}), and writes the top
 * matches of each row as {@code query,ent_num,score}; progress goes to stderr.
 *
 * <p>{@code bin/ofac-batch <input.csv|-> [output.csv|-] [--list <dir|url>] [--min-match 0.85]
 * [--top 3]}
 */
public final class BatchScreen {
  private BatchScreen() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println(
          "usage: ofac-batch <input.csv|-> [output.csv|-] [--list <dir|url>] [--min-match x] [--top n]");
      System.exit(2);
    }
    String input = args[0];
    String output = args.length > 1 && !args[1].startsWith("--") ? args[1] : "-";
    String list = null;
    double minMatch = ScreeningThresholds.DEFAULT_MATCH;
    int top = 3;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--list" -> list = args[++i];
        case "--min-match" -> minMatch = Double.parseDouble(args[++i]);
        case "--top" -> top = Integer.parseInt(args[++i]);
        default -> {}
      }
    }
    long t0 = System.nanoTime();
    ListFiles files = list == null ? ListFiles.shipped() : ListFiles.from(list);
    ScreeningIndex index =
        ScreeningIndex.build(OfacListParser.parse(files, list == null ? "shipped" : list));
    System.err.printf(
        Locale.ROOT,
        "list %s: %d names indexed in %d ms%n",
        index.version(),
        index.nameCount(),
        (System.nanoTime() - t0) / 1_000_000);
    var in =
        new BufferedReader(
            input.equals("-")
                ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8));
    var out =
        new PrintWriter(
            new BufferedWriter(
                output.equals("-")
                    ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                    : Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8)));
    List<List<String>> rows = io.userpipe.ofac.eval.Csv.parse(in);
    List<String> header = rows.isEmpty() ? List.of() : rows.get(0);
    int name = column(header, "name", "full_name");
    int dob = column(header, "date_of_birth", "birth_date");
    int country = column(header, "country", "nationality");
    if (name < 0) {
      System.err.println("the header must name a 'name' or 'full_name' column");
      System.exit(2);
    }
    out.println("query,ent_num,score");
    int done = 0;
    int hits = 0;
    for (List<String> row : rows.subList(1, rows.size())) {
      String q = get(row, name);
      List<ScreeningMatch> matches =
          index.search(
              new ScreeningQuery(q, null, blank(get(row, dob)), blank(get(row, country))),
              minMatch,
              top);
      for (ScreeningMatch m : matches) {
        out.printf(Locale.ROOT, "%s,%d,%.3f%n", quote(q), m.entry().entNum(), m.score());
      }
      hits += matches.isEmpty() ? 0 : 1;
      if (++done % 10_000 == 0) {
        System.err.printf(Locale.ROOT, "%d rows screened, %d with matches%n", done, hits);
      }
    }
    out.flush();
    System.err.printf(
        Locale.ROOT,
        "%d rows screened, %d with matches, in %d ms%n",
        done,
        hits,
        (System.nanoTime() - t0) / 1_000_000);
  }

  private static int column(List<String> header, String... names) {
    for (String n : names) {
      int i = header.indexOf(n);
      if (i >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static String get(List<String> row, int i) {
    return i >= 0 && i < row.size() ? row.get(i) : null;
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
