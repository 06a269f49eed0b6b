package io.userpipe.ofac.list;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the four OFAC files into entries. A file that breaks the format is rejected whole, with
 * the file, line and reason: a list is used completely or not at all.
 */
public final class OfacListParser {

  private OfacListParser() {}

  public static OfacList parse(ListFiles files, String label) throws MalformedListException {
    try {
      return new Parse().run(files, label);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Parse {
    private final Map<Integer, OfacCsv.Row> sdn = new LinkedHashMap<>();
    private final Map<Integer, StringBuilder> comments = new HashMap<>();
    private final Map<Integer, List<AltName>> alts = new HashMap<>();
    private final Map<Integer, List<SdnAddress>> addresses = new HashMap<>();

    OfacList run(ListFiles files, String label) throws IOException, MalformedListException {
      for (OfacCsv.Row row : rows(files, "sdn.csv", 12)) {
        int ent = number("sdn.csv", row, 0, "ent_num");
        required("sdn.csv", row, 1, "SDN_Name");
        if (sdn.put(ent, row) != null) {
          throw new MalformedListException("sdn.csv", row.line(), "ent_num " + ent + " repeats");
        }
      }
      if (sdn.isEmpty()) {
        throw new MalformedListException("sdn.csv", 1, "the file holds no entries");
      }
      for (OfacCsv.Row row : rows(files, "alt.csv", 5)) {
        int ent = known("alt.csv", row);
        String kind = required("alt.csv", row, 2, "alt_type").toLowerCase(java.util.Locale.ROOT);
        if (!kind.equals("aka") && !kind.equals("fka") && !kind.equals("nka")) {
          throw new MalformedListException(
              "alt.csv", row.line(), "alt_type '" + row.get(2) + "' is not aka, fka or nka");
        }
        alts.computeIfAbsent(ent, k -> new ArrayList<>())
            .add(
                new AltName(
                    number("alt.csv", row, 1, "alt_num"),
                    kind,
                    required("alt.csv", row, 3, "alt_name")));
      }
      for (OfacCsv.Row row : rows(files, "add.csv", 6)) {
        int ent = known("add.csv", row);
        addresses
            .computeIfAbsent(ent, k -> new ArrayList<>())
            .add(
                new SdnAddress(
                    number("add.csv", row, 1, "add_num"), row.get(2), row.get(3), row.get(4)));
      }
      for (OfacCsv.Row row : rows(files, "sdn_comments.csv", 2)) {
        // OFAC's comments file may still carry the continuation of an entry that has left the
        // list (the 2023-12-28 one has three): nothing to attach it to, so it is skipped.
        int ent = number("sdn_comments.csv", row, 0, "ent_num");
        if (sdn.containsKey(ent) && row.get(1) != null) {
          comments.computeIfAbsent(ent, k -> new StringBuilder()).append(row.get(1));
        }
      }
      List<SdnEntry> entries = new ArrayList<>(sdn.size());
      for (Map.Entry<Integer, OfacCsv.Row> e : sdn.entrySet()) {
        entries.add(entry(e.getKey(), e.getValue()));
      }
      return new OfacList(files.version(), label, entries);
    }

    private SdnEntry entry(int ent, OfacCsv.Row row) throws MalformedListException {
      SdnType type;
      try {
        type = SdnType.parse(row.get(2));
      } catch (IllegalArgumentException e) {
        throw new MalformedListException("sdn.csv", row.line(), e.getMessage());
      }
      String remarks = row.get(11);
      StringBuilder more = comments.get(ent);
      if (more != null) {
        remarks = remarks == null ? more.toString() : remarks + more;
      }
      Remarks parsed = Remarks.parse(remarks);
      List<AltName> names = new ArrayList<>(alts.getOrDefault(ent, List.of()));
      int weak = -1;
      for (String[] alias : parsed.weakAliases) {
        names.add(new AltName(weak--, alias[0], alias[1]));
      }
      List<String> programs =
          row.get(3) == null
              ? List.of()
              : Arrays.stream(row.get(3).split("\\]\\s*\\[")).map(String::trim).toList();
      return new SdnEntry(
          ent,
          row.get(1),
          type,
          programs,
          row.get(4),
          remarks,
          names,
          addresses.getOrDefault(ent, List.of()),
          parsed.birthDates,
          parsed.birthPlaces,
          parsed.nationalities);
    }

    private int known(String file, OfacCsv.Row row) throws MalformedListException {
      int ent = number(file, row, 0, "ent_num");
      if (!sdn.containsKey(ent)) {
        throw new MalformedListException(
            file, row.line(), "ent_num " + ent + " is not an entry of sdn.csv");
      }
      return ent;
    }

    private static List<OfacCsv.Row> rows(ListFiles files, String name, int columns)
        throws IOException, MalformedListException {
      byte[] bytes = files.file(name);
      if (bytes == null) {
        return List.of();
      }
      return new OfacCsv(
              name,
              new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8),
              columns)
          .readAll();
    }

    private static String required(String file, OfacCsv.Row row, int i, String column)
        throws MalformedListException {
      String v = row.get(i);
      if (v == null) {
        throw new MalformedListException(file, row.line(), column + " is empty");
      }
      return v;
    }

    private static int number(String file, OfacCsv.Row row, int i, String column)
        throws MalformedListException {
      String v = required(file, row, i, column);
      try {
        int n = Integer.parseInt(v);
        if (n <= 0) {
          throw new NumberFormatException();
        }
        return n;
      } catch (NumberFormatException e) {
        throw new MalformedListException(
            file, row.line(), column + " '" + v + "' is not a positive whole number");
      }
    }
  }
}
