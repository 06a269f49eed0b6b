package io.userpipe.ofac.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Populations of ordinary people that screening was never tuned on, sampled from name lists shipped
 * in packages (resources {@code eval/populations/*.tsv}, made by {@code
 * src/eval/make-populations.py}; sources, sampling and licences in docs/OFAC.md, "Populations").
 *
 * <p>Each person falls in the {@link Split#TUNING} or the {@link Split#VALIDATION} part by a hash
 * of their family name, so the validation part holds family names the tuning part never had.
 * Defaults are chosen on the tuning part and reported on the validation part.
 */
public final class Populations {

  /** The populations, in report order. */
  public static final List<String> NAMES =
      List.of(
          "us",
          "hispanic",
          "vietnamese",
          "indian",
          "nigerian",
          "pakistani",
          "arabic_script",
          "chinese_script",
          "other");

  /** Which part of a population a person belongs to. */
  public enum Split {
    TUNING,
    VALIDATION
  }

  /**
   * A sampled person: the name as written, the name as the profile's fields give it to screening
   * ({@code Family, Given}: last_name and first_name), a date of birth to screen with or without,
   * the split.
   */
  public record Sampled(String name, String profileName, String birthDate, Split split) {
    public EvalSets.Person withBirthDate() {
      return new EvalSets.Person(profileName, birthDate, null);
    }

    public EvalSets.Person nameOnly() {
      return new EvalSets.Person(profileName, null, null);
    }
  }

  private static final LocalDate OLDEST = LocalDate.of(1940, 1, 1);
  private static final LocalDate YOUNGEST = LocalDate.of(2007, 12, 31);

  private final Map<String, Parts> parts = new LinkedHashMap<>();

  private Populations() {}

  /** Loads every population's name parts from the classpath. */
  public static Populations load() {
    Populations p = new Populations();
    for (String name : NAMES) {
      p.parts.put(name, Parts.read("/eval/populations/" + name + ".tsv"));
    }
    return p;
  }

  /** {@code draws} people of {@code population}, reproducibly from {@code seed}. */
  public List<Sampled> sample(String population, int draws, long seed) {
    Parts ps = parts.get(population);
    if (ps == null) {
      throw new IllegalArgumentException("unknown population " + population + "; known " + NAMES);
    }
    Random r = new Random(seed ^ population.hashCode());
    List<Sampled> out = new ArrayList<>(draws);
    long days = YOUNGEST.toEpochDay() - OLDEST.toEpochDay();
    for (int i = 0; i < draws; i++) {
      String[] nameAndFamily = draw(population, ps, r);
      String dob =
          LocalDate.ofEpochDay(OLDEST.toEpochDay() + (long) (r.nextDouble() * days)).toString();
      String name = nameAndFamily[0];
      String family = nameAndFamily[1];
      String given = name.replaceFirst(java.util.regex.Pattern.quote(family), "").trim();
      String profile = given.isEmpty() ? name : family + ", " + given.replaceAll("\\s+", " ");
      out.add(new Sampled(name, profile, dob, split(family)));
    }
    return out;
  }

  static Split split(String familyName) {
    int h = familyName.toLowerCase(java.util.Locale.ROOT).hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return (h & 1) == 0 ? Split.TUNING : Split.VALIDATION;
  }

  /** One name as people of the population write it on a form, and its family name. */
  private static String[] draw(String population, Parts p, Random r) {
    return switch (population) {
      case "us" -> {
        String sex = r.nextBoolean() ? "first_female" : "first_male";
        String first = p.pick(sex, r);
        String last = p.pick("last", r);
        String name =
            r.nextDouble() < 0.15 ? first + " " + p.pick(sex, r) + " " + last : first + " " + last;
        yield new String[] {name, last};
      }
      case "hispanic" -> {
        String first = p.pick("first", r);
        String paternal = p.pick("last", r);
        String name =
            r.nextDouble() < 0.65
                ? first + " " + paternal + " " + p.pick("last", r)
                : first + " " + paternal;
        yield new String[] {name, paternal};
      }
      case "vietnamese" -> {
        String family = p.pick("family", r);
        String given = p.pick("given", r);
        double f = r.nextDouble();
        String name =
            f < 0.45
                ? family + " " + p.pick("middle", r) + " " + given
                : f < 0.65 ? family + " " + given : given + " " + family;
        yield new String[] {name, family};
      }
      case "indian", "nigerian" -> {
        String last = p.pick("last", r);
        String name =
            r.nextDouble() < 0.25
                ? p.pick("first", r) + " " + p.pick("first", r) + " " + last
                : p.pick("first", r) + " " + last;
        yield new String[] {name, last};
      }
      case "pakistani" -> {
        String last = p.pick("last", r);
        String name =
            r.nextDouble() < 0.4
                ? p.pick("first", r) + " " + p.pick("first", r) + " " + last
                : p.pick("first", r) + " " + last;
        yield new String[] {name, last};
      }
      case "arabic_script" -> {
        String first = p.pick(r.nextBoolean() ? "first_female" : "first_male", r);
        String last = p.pick("last", r);
        String name =
            r.nextDouble() < 0.4
                ? first + " " + p.pick("first_male", r) + " " + last
                : first + " " + last;
        yield new String[] {name, last};
      }
      case "chinese_script" -> {
        String family = p.pick("family", r);
        yield new String[] {family + p.pick("given", r), family};
      }
      case "other" -> {
        String[] locales = {"pt-BR", "ru", "ko", "fa", "he", "en-PH"};
        String loc = locales[r.nextInt(locales.length)];
        String first = p.pick("first_" + loc, r);
        String last = p.pick("last_" + loc, r);
        String name =
            switch (loc) {
              case "ko" -> last + first;
              case "pt-BR" ->
                  r.nextBoolean()
                      ? first + " " + p.pick("last_" + loc, r) + " " + last
                      : first + " " + last;
              default -> first + " " + last;
            };
        yield new String[] {name, last};
      }
      default -> throw new IllegalArgumentException(population);
    };
  }

  /** A population's name parts, each with cumulative weights for sampling. */
  private static final class Parts {
    private final Map<String, List<String>> names = new LinkedHashMap<>();
    private final Map<String, double[]> cumulative = new LinkedHashMap<>();

    static Parts read(String resource) {
      Map<String, List<String>> names = new LinkedHashMap<>();
      Map<String, List<Double>> weights = new LinkedHashMap<>();
      try (InputStream in = Populations.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + resource);
        }
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
          String[] f = line.split("\t");
          if (f.length != 3 || f[1].isBlank()) {
            continue;
          }
          names.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
          weights.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Double.parseDouble(f[2]));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Parts p = new Parts();
      names.forEach(
          (part, list) -> {
            List<Double> w = weights.get(part);
            double[] c = new double[w.size()];
            double sum = 0;
            for (int i = 0; i < c.length; i++) {
              sum += w.get(i);
              c[i] = sum;
            }
            p.names.put(part, list);
            p.cumulative.put(part, c);
          });
      return p;
    }

    String pick(String part, Random r) {
      double[] c = cumulative.get(part);
      double x = r.nextDouble() * c[c.length - 1];
      int i = java.util.Arrays.binarySearch(c, x);
      return names.get(part).get(i >= 0 ? i : Math.min(-i - 1, c.length - 1));
    }
  }
}
