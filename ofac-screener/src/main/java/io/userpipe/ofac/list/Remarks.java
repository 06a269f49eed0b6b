package io.userpipe.ofac.list;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the free-text Remarks of an SDN entry say about identity: dates and places of birth,
 * nationalities and citizenships, and the weak a.k.a.s that OFAC writes only there ({@code a.k.a.
 * 'ABU X'}).
 */
final class Remarks {
  private static final Pattern WEAK_ALIAS = Pattern.compile("\\b([afn])\\.k\\.a\\.,? '([^']+)'");
  private static final Pattern FULL_DATE = Pattern.compile("(\\d{1,2}) ([A-Za-z]{3}) (\\d{4})");
  private static final Pattern MONTH_YEAR = Pattern.compile("([A-Za-z]{3}) (\\d{4})");
  private static final Pattern YEAR = Pattern.compile("(\\d{4})");
  private static final List<String> MONTHS =
      List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");

  final List<String> birthDates = new ArrayList<>();
  final List<String> birthPlaces = new ArrayList<>();
  final List<String> nationalities = new ArrayList<>();
  final List<String[]> weakAliases = new ArrayList<>();

  static Remarks parse(String remarks) {
    Remarks r = new Remarks();
    if (remarks == null) {
      return r;
    }
    Matcher alias = WEAK_ALIAS.matcher(remarks);
    while (alias.find()) {
      String name = alias.group(2).trim();
      if (name.replaceAll("[^A-Za-z]", "").length() >= 2) {
        r.weakAliases.add(new String[] {"weak-" + alias.group(1) + "ka", name});
      }
    }
    for (String part : remarks.split(";")) {
      String p = part.trim();
      if (p.endsWith(".")) {
        p = p.substring(0, p.length() - 1);
      }
      if (p.startsWith("alt. ")) {
        p = p.substring(5);
      }
      if (p.startsWith("DOB ")) {
        r.birthDates.addAll(dates(p.substring(4)));
      } else if (p.startsWith("POB ")) {
        r.birthPlaces.add(p.substring(4).trim());
      } else if (p.startsWith("nationality ")) {
        r.nationalities.add(p.substring(12).trim());
      } else if (p.startsWith("citizen ")) {
        r.nationalities.add(p.substring(8).trim());
      }
    }
    return r;
  }

  /** {@code 10 Jan 1960}, {@code Jan 1960}, {@code circa 1960}, {@code 1958 to 1960}. */
  static List<String> dates(String text) {
    String t = text.replace("circa ", "").trim();
    List<String> out = new ArrayList<>();
    String[] range = t.split(" to ");
    if (range.length == 2) {
      Matcher a = YEAR.matcher(range[0]);
      Matcher b = YEAR.matcher(range[1]);
      String from = null;
      String to = null;
      while (a.find()) {
        from = a.group(1);
      }
      while (b.find()) {
        to = b.group(1);
      }
      if (from != null && to != null) {
        int x = Integer.parseInt(from);
        int y = Integer.parseInt(to);
        for (int year = x; year <= y && year - x < 20; year++) {
          out.add(Integer.toString(year));
        }
      }
      return out;
    }
    Matcher full = FULL_DATE.matcher(t);
    if (full.matches()) {
      int month = MONTHS.indexOf(full.group(2).toLowerCase(Locale.ROOT)) + 1;
      if (month > 0) {
        out.add(
            String.format("%s-%02d-%02d", full.group(3), month, Integer.parseInt(full.group(1))));
        return out;
      }
    }
    Matcher monthYear = MONTH_YEAR.matcher(t);
    if (monthYear.matches()) {
      int month = MONTHS.indexOf(monthYear.group(1).toLowerCase(Locale.ROOT)) + 1;
      if (month > 0) {
        out.add(String.format("%s-%02d", monthYear.group(2), month));
        return out;
      }
    }
    Matcher year = YEAR.matcher(t);
    if (year.find()) {
      out.add(year.group(1));
    }
    return out;
  }
}
