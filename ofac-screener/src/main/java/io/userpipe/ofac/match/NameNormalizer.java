package io.userpipe.ofac.match;

import com.ibm.icu.text.Transliterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a written name into comparable tokens: any script to Latin, accents off, lower case, {@code
 * SURNAME, Given} put in reading order, apostrophes dropped, dotted abbreviations joined ({@code
 * S.A.} to {@code sa}), digits inside words read as the letters they stand for ({@code Ig0r}),
 * other punctuation as spaces, then titles, stopwords and company suffixes removed.
 */
public final class NameNormalizer {
  private static final ThreadLocal<Transliterator> TO_ASCII =
      ThreadLocal.withInitial(
          () -> Transliterator.getInstance("Any-Latin; Latin-ASCII; [:Nonspacing Mark:] Remove"));

  /** Words that say what someone is, not who. */
  static final Set<String> TITLES =
      Set.of(
          "mr",
          "mrs",
          "ms",
          "miss",
          "dr",
          "prof",
          "sir",
          "president",
          "general",
          "colonel",
          "captain",
          "the",
          "of",
          "and");

  /** Legal-form words of companies. */
  static final Set<String> COMPANY_SUFFIXES =
      Set.of(
          "ltd",
          "llc",
          "inc",
          "co",
          "corp",
          "corporation",
          "company",
          "limited",
          "sa",
          "sas",
          "sl",
          "srl",
          "spa",
          "gmbh",
          "ag",
          "plc",
          "llp",
          "lp",
          "jsc",
          "ojsc",
          "cjsc",
          "pjsc",
          "ooo",
          "zao",
          "oao",
          "bv",
          "nv",
          "cv",
          "fze",
          "fzco",
          "fzc",
          "bhd",
          "sdn",
          "pte",
          "pty",
          "kg",
          "ab",
          "as",
          "oy",
          "sarl",
          "eood",
          "dooel",
          "doo",
          "incorporated");

  private static final Pattern SEPARATORS = Pattern.compile("[\\s,;:/()\\[\\]\"&+]+");
  private static final Pattern DOTTED = Pattern.compile("(\\p{Alpha}\\.)+\\p{Alpha}?\\.?");

  private NameNormalizer() {}

  /** Tokens of a name; for an organisation's name, legal-form words are dropped too. */
  public static List<String> tokens(String raw) {
    return tokens(raw, true);
  }

  /**
   * Tokens of a person's name: as {@link #tokens(String)}, but a word that is a company's legal
   * form elsewhere stays, for in a person's name it is a name (the Vietnamese {@code Sa}, the
   * Tuareg {@code Ag} of {@code HITTA, Sidan Ag}).
   */
  public static List<String> personTokens(String raw) {
    return tokens(raw, true, true);
  }

  public static List<String> tokens(String raw, boolean reorderSurnameFirst) {
    return tokens(raw, reorderSurnameFirst, false);
  }

  private static List<String> tokens(String raw, boolean reorderSurnameFirst, boolean person) {
    if (raw == null || raw.isBlank()) {
      return List.of();
    }
    String s = ascii(raw).toLowerCase(Locale.ROOT);
    if (reorderSurnameFirst) {
      int comma = s.indexOf(',');
      if (comma > 0 && comma == s.lastIndexOf(',')) {
        String tail = s.substring(comma + 1).trim();
        if (!tail.isEmpty() && !COMPANY_SUFFIXES.contains(tail.replace(".", "").trim())) {
          s = tail + " " + s.substring(0, comma);
        }
      }
    }
    List<String> words = new ArrayList<>();
    for (String chunk : SEPARATORS.split(s)) {
      if (chunk.isEmpty()) {
        continue;
      }
      if (DOTTED.matcher(chunk).matches()) {
        chunk = chunk.replace(".", "");
      }
      boolean letters = false;
      boolean digits = false;
      StringBuilder word = new StringBuilder(chunk.length());
      for (int i = 0; i < chunk.length(); i++) {
        char c = chunk.charAt(i);
        if (c == '\'' || c == '`' || c == '\u00b4') {
          continue; // apostrophes join: nu'aymi is nuaymi
        }
        letters |= c >= 'a' && c <= 'z';
        digits |= c >= '0' && c <= '9';
        word.append(c);
      }
      String w = letters && digits ? leet(word.toString()) : word.toString();
      int start = -1;
      for (int i = 0; i <= w.length(); i++) {
        char c = i < w.length() ? w.charAt(i) : ' ';
        boolean keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (keep && start < 0) {
          start = i;
        } else if (!keep && start >= 0) {
          words.add(w.substring(start, i));
          start = -1;
        }
      }
    }
    List<String> kept = new ArrayList<>(words.size());
    for (String w : words) {
      if (!TITLES.contains(w) && (person || !COMPANY_SUFFIXES.contains(w))) {
        kept.add(w);
      }
    }
    return kept.isEmpty() ? words : kept;
  }

  /**
   * The family names of a name written {@code SURNAME, Given names} (as the list writes people):
   * the tokens before its one comma; none for a name without exactly one comma or whose tail is a
   * company's legal form.
   */
  public static java.util.Set<String> familyTokens(String raw) {
    if (raw == null) {
      return java.util.Set.of();
    }
    int comma = raw.indexOf(',');
    if (comma <= 0 || comma != raw.lastIndexOf(',')) {
      return java.util.Set.of();
    }
    String tail = ascii(raw.substring(comma + 1)).toLowerCase(Locale.ROOT).replace(".", "").trim();
    if (tail.isEmpty() || COMPANY_SUFFIXES.contains(tail)) {
      return java.util.Set.of();
    }
    return java.util.Set.copyOf(tokens(raw.substring(0, comma), false));
  }

  private static final Pattern HAN_RUN = Pattern.compile("\\p{IsHan}+");

  /** Whether the name has a word written in Han characters. */
  static boolean writtenInHan(String raw) {
    return raw != null && HAN_RUN.matcher(raw).find();
  }

  /** Latin ASCII for any script; plain ASCII passes untouched (and fast). */
  static String ascii(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      if (raw.charAt(i) > 0x7e) {
        String t = TO_ASCII.get().transliterate(hanWords(raw));
        return t.replace('\u2018', '\'').replace('\u2019', '\'').replace('\u02bc', '\'');
      }
    }
    return raw;
  }

  /**
   * Chinese names written in Han characters, as words: a given name of two characters is one word
   * in pinyin ({@code 聪健} is {@code congjian}, as the list writes {@code ZHANG, Congjian}), not two
   * syllables that each meet a listed name's by chance. A name that is one run of characters is its
   * family name (the first character) and its given name; a run beside other words or a comma is
   * one word. Characters written apart ({@code 宇 燕 吴}) stay apart.
   */
  private static String hanWords(String raw) {
    java.util.regex.Matcher m = HAN_RUN.matcher(raw);
    if (!m.find()) {
      return raw;
    }
    boolean whole = m.start() == 0 && m.end() == raw.strip().length() && raw.strip().equals(raw);
    StringBuilder out = new StringBuilder(raw.length() * 4);
    m.reset();
    while (m.find()) {
      String[] syllables = TO_ASCII.get().transliterate(m.group()).trim().split("\\s+");
      String words =
          whole && syllables.length >= 2
              ? syllables[0]
                  + " "
                  + String.join("", java.util.Arrays.copyOfRange(syllables, 1, syllables.length))
              : String.join("", syllables);
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(" " + words + " "));
    }
    m.appendTail(out);
    return out.toString().strip();
  }

  private static String leet(String w) {
    StringBuilder b = new StringBuilder(w.length());
    for (char c : w.toCharArray()) {
      b.append(
          switch (c) {
            case '0' -> 'o';
            case '1' -> 'i';
            case '3' -> 'e';
            case '4' -> 'a';
            case '5' -> 's';
            case '7' -> 't';
            case '8' -> 'b';
            case '9' -> 'g';
            default -> c;
          });
    }
    return b.toString();
  }
}
