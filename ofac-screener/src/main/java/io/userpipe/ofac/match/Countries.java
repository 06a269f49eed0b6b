package io.userpipe.ofac.match;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Brings ISO 3166 codes ({@code qa}, {@code QAT}), English country names and OFAC's own spellings
 * ({@code Korea, North}, {@code Burma}) to one lower-case key, so a user's country can be compared
 * with a listed nationality or address.
 */
public final class Countries {
  private static final Map<String, String> KEYS = new HashMap<>();

  static {
    for (String code : Locale.getISOCountries()) {
      Locale l = new Locale("", code);
      String name = simplify(l.getDisplayCountry(Locale.ENGLISH));
      KEYS.put(code.toLowerCase(Locale.ROOT), name);
      try {
        KEYS.put(l.getISO3Country().toLowerCase(Locale.ROOT), name);
      } catch (java.util.MissingResourceException ignored) {
        // no three-letter code for this one
      }
      KEYS.put(name, name);
    }
    alias("korea north", "kp");
    alias("north korea", "kp");
    alias("korea south", "kr");
    alias("south korea", "kr");
    alias("burma", "mm");
    alias("russia", "ru");
    alias("russian federation", "ru");
    alias("iran", "ir");
    alias("syria", "sy");
    alias("venezuela", "ve");
    alias("bolivia", "bo");
    alias("tanzania", "tz");
    alias("moldova", "md");
    alias("laos", "la");
    alias("vietnam", "vn");
    alias("congo democratic republic of the", "cd");
    alias("democratic republic of the congo", "cd");
    alias("congo republic of the", "cg");
    alias("cote d ivoire", "ci");
    alias("ivory coast", "ci");
    alias("turkey", "tr");
    alias("turkiye", "tr");
    alias("united states", "us");
    alias("usa", "us");
    alias("united kingdom", "gb");
    alias("uk", "gb");
    alias("palestinian", "ps");
    alias("west bank", "ps");
    alias("gaza", "ps");
    alias("macau", "mo");
    alias("hong kong", "hk");
    alias("taiwan", "tw");
    alias("czech republic", "cz");
    alias("north macedonia", "mk");
    alias("macedonia", "mk");
    alias("brunei", "bn");
    alias("cabo verde", "cv");
    alias("eswatini", "sz");
    alias("micronesia", "fm");
    alias("the bahamas", "bs");
    alias("the gambia", "gm");
    alias("gambia the", "gm");
  }

  private Countries() {}

  private static void alias(String name, String code) {
    KEYS.put(name, KEYS.get(code));
  }

  /** The comparable key of a country code or name, or null when unknown or blank. */
  public static String key(String codeOrName) {
    if (codeOrName == null || codeOrName.isBlank()) {
      return null;
    }
    String s = simplify(codeOrName);
    String k = KEYS.get(s);
    return k != null ? k : s;
  }

  private static String simplify(String s) {
    return NameNormalizer.ascii(s)
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z ]+", " ")
        .replaceAll("\\s+", " ")
        .trim();
  }
}
