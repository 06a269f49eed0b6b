package io.userpipe.ofac.match;

/** String measures used by the scorers. */
public final class Similarity {
  private Similarity() {}

  /** Optimal-string-alignment distance: insertions, deletions, substitutions, transpositions. */
  public static int osa(String a, String b) {
    int n = a.length();
    int m = b.length();
    if (n == 0) {
      return m;
    }
    if (m == 0) {
      return n;
    }
    int[] prev2 = new int[m + 1];
    int[] prev = new int[m + 1];
    int[] cur = new int[m + 1];
    for (int j = 0; j <= m; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= n; i++) {
      cur[0] = i;
      char ca = a.charAt(i - 1);
      for (int j = 1; j <= m; j++) {
        char cb = b.charAt(j - 1);
        int cost = ca == cb ? 0 : 1;
        int v = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
        if (i > 1 && j > 1 && ca == b.charAt(j - 2) && a.charAt(i - 2) == cb) {
          v = Math.min(v, prev2[j - 2] + 1);
        }
        cur[j] = v;
      }
      int[] t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
    return prev[m];
  }

  /** Jaro-Winkler with the usual 0.1 prefix scale over at most 4 characters. */
  public static double jaroWinkler(String a, String b) {
    double jaro = jaro(a, b);
    int prefix = 0;
    for (int i = 0; i < Math.min(4, Math.min(a.length(), b.length())); i++) {
      if (a.charAt(i) != b.charAt(i)) {
        break;
      }
      prefix++;
    }
    return jaro + prefix * 0.1 * (1 - jaro);
  }

  public static double jaro(String a, String b) {
    if (a.equals(b)) {
      return 1.0;
    }
    int la = a.length();
    int lb = b.length();
    if (la == 0 || lb == 0) {
      return 0.0;
    }
    int window = Math.max(0, Math.max(la, lb) / 2 - 1);
    boolean[] ma = new boolean[la];
    boolean[] mb = new boolean[lb];
    int matches = 0;
    for (int i = 0; i < la; i++) {
      int lo = Math.max(0, i - window);
      int hi = Math.min(lb - 1, i + window);
      for (int j = lo; j <= hi; j++) {
        if (!mb[j] && a.charAt(i) == b.charAt(j)) {
          ma[i] = true;
          mb[j] = true;
          matches++;
          break;
        }
      }
    }
    if (matches == 0) {
      return 0.0;
    }
    int t = 0;
    int k = 0;
    for (int i = 0; i < la; i++) {
      if (ma[i]) {
        while (!mb[k]) {
          k++;
        }
        if (a.charAt(i) != b.charAt(k)) {
          t++;
        }
        k++;
      }
    }
    double m = matches;
    return (m / la + m / lb + (m - t / 2.0) / m) / 3.0;
  }

  /** The token with runs of one letter written once: {@code uun} to {@code un}. */
  public static String collapseRepeats(String token) {
    StringBuilder b = new StringBuilder(token.length());
    for (int i = 0; i < token.length(); i++) {
      if (i == 0 || token.charAt(i) != token.charAt(i - 1)) {
        b.append(token.charAt(i));
      }
    }
    return b.toString();
  }

  /**
   * A consonant skeleton: the first letter, then the consonants with doubles collapsed and
   * look-alike sounds merged, so {@code mohammed} and {@code muhammad} share {@code mhmd}.
   */
  public static String skeleton(String token) {
    if (token.isEmpty()) {
      return token;
    }
    String t =
        token
            .replace("ph", "f")
            .replace("ck", "k")
            .replace("kh", "k")
            .replace("gh", "g")
            .replace("th", "t")
            .replace("dh", "d")
            .replace("sh", "s")
            .replace("ch", "s")
            .replace("ou", "u")
            .replace("oo", "u")
            .replace("ee", "i")
            .replace("zh", "j")
            .replace("dj", "j");
    StringBuilder b = new StringBuilder();
    char first = t.charAt(0);
    b.append(first == 'w' ? 'f' : vowelLike(first) ? 'a' : sound(first));
    char last = b.charAt(0);
    for (int i = 1; i < t.length(); i++) {
      char c = t.charAt(i);
      if (vowelLike(c)) {
        last = 0;
        continue;
      }
      char s = sound(c);
      if (s != last) {
        b.append(s);
      }
      last = s;
    }
    return b.toString();
  }

  private static boolean vowelLike(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || c == 'h'
        || c == 'w';
  }

  private static char sound(char c) {
    return switch (c) {
      case 'q', 'c' -> 'k';
      case 'z' -> 's';
      case 'v' -> 'f';
      case 'p' -> 'b';
      case 'j' -> 'g';
      default -> c;
    };
  }
}
