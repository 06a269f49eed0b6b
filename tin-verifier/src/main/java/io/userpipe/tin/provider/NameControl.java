package io.userpipe.tin.provider;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The IRS name control: the four characters the IRS matches a TIN's name by. Individuals: the first
 * four letters of the last name (suffixes dropped, a hyphenated name's letters taken through the
 * hyphen). Businesses: the first four significant characters of the name — letters, digits, '&' and
 * '-' — with a leading "The" skipped unless only one word follows it.
 */
public final class NameControl {

  private static final Set<String> SUFFIXES =
      Set.of("JR", "SR", "II", "III", "IV", "V", "MD", "PHD", "ESQ");

  private NameControl() {}

  public static String of(String name, boolean business) {
    String plain = stripAccents(name == null ? "" : name).toUpperCase(Locale.ROOT).trim();
    return business ? business(plain) : individual(plain);
  }

  private static String individual(String name) {
    List<String> words =
        Arrays.stream(name.replace(",", " ").replace(".", " ").split("\\s+"))
            .filter(w -> !w.isEmpty())
            .toList();
    int last = words.size() - 1;
    while (last > 0 && SUFFIXES.contains(words.get(last))) {
      last--;
    }
    if (last < 0) {
      return "";
    }
    String lastName = words.get(last).replaceAll("[^A-Z]", "");
    return lastName.substring(0, Math.min(4, lastName.length()));
  }

  private static String business(String name) {
    List<String> words = Arrays.stream(name.split("\\s+")).filter(w -> !w.isEmpty()).toList();
    if (words.size() > 2 && words.get(0).equals("THE")) {
      words = words.subList(1, words.size());
    }
    String joined = String.join("", words).replaceAll("[^A-Z0-9&-]", "");
    return joined.substring(0, Math.min(4, joined.length()));
  }

  private static String stripAccents(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
  }
}
