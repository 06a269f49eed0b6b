package io.userpipe.ofac.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the labelled evaluation sets (RFC 4180 CSV with a header row). */
final class EvalSets {

  private EvalSets() {}

  /** A person to screen. */
  record Person(String name, String birthDate, String country) {}

  /** A labelled name pair of {@code cases.csv}. */
  record Pair(String schema, String name1, String name2, boolean match) {}

  static List<Person> people(Path file) throws IOException {
    List<Person> out = new ArrayList<>();
    for (Map<String, String> row : rows(file)) {
      out.add(
          new Person(
              row.get("full_name"),
              blank(row.get("date_of_birth")),
              blank(row.get("nationality"))));
    }
    return out;
  }

  static List<Pair> pairs(Path file) throws IOException {
    List<Pair> out = new ArrayList<>();
    for (Map<String, String> row : rows(file)) {
      out.add(
          new Pair(
              row.get("schema"),
              row.get("name1"),
              row.get("name2"),
              Boolean.parseBoolean(row.get("is_match"))));
    }
    return out;
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  static List<Map<String, String>> rows(Path file) throws IOException {
    List<List<String>> records = Csv.parse(Files.newBufferedReader(file, StandardCharsets.UTF_8));
    List<String> header = records.get(0);
    List<Map<String, String>> out = new ArrayList<>();
    for (List<String> r : records.subList(1, records.size())) {
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < header.size() && i < r.size(); i++) {
        m.put(header.get(i), r.get(i));
      }
      out.add(m);
    }
    return out;
  }
}
