package io.userpipe.ofac.match;

/** String measures used by the scorers. */
public final class Similarity {
  private Similarity() {}

  /**
   * The OSA distance when it is at most {@code max}, else {@code max + 1}: only the diagonal band
   * of width {@code max} is computed, and the computation stops once every cell of a row exceeds
   * {@code max}.
   */
  public static int osaWithin(String a, String b, int max) {
    int n = a.length();
    int m = b.length();
    if (Math.abs(n - m) > max) {
      return max + 1;
    }
    int big = max + 1;
    int[] prev2 = new int[m + 1];
    int[] prev = new int[m + 1];
    int[] cur = new int[m + 1];
    for (int j = 0; j <= m; j++) {
      prev[j] = j <= max ? j : big;
    }
    for (int i = 1; i <= n; i++) {
      int lo = Math.max(1, i - max);
      int hi = Math.min(m, i + max);
      java.util.Arrays.fill(cur, 0, m + 1, big);
      cur[0] = i <= max ? i : big;
      int rowMin = cur[0];
      char ca = a.charAt(i - 1);
      for (int j = lo; j <= hi; j++) {
        char cb = b.charAt(j - 1);
        int v = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + (ca == cb ? 0 : 1));
        if (i > 1 && j > 1 && ca == b.charAt(j - 2) && a.charAt(i - 2) == cb) {
          v = Math.min(v, prev2[j - 2] + 1);
        }
        cur[j] = Math.min(v, big);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > max) {
        return big;
      }
      int[] t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
    return Math.min(prev[m], big);
  }

  /**
   * A cheap necessary condition for an edit distance of at most {@code max}: each edit brings in or
   * takes out at most one letter, so neither side may have more than {@code max} letters the other
   * lacks (letters folded into 32 buckets, which only weakens the test).
   */
  public static boolean lettersWithin(int lettersA, int lettersB, int max) {
    return Integer.bitCount(lettersA & ~lettersB) <= max
        && Integer.bitCount(lettersB & ~lettersA) <= max;
  }

  /** The set of letters of a token, folded into 32 buckets, for {@link #lettersWithin}. */
  public static int letters(String token) {
    int m = 0;
    for (int i = 0; i < token.length(); i++) {
      m |= 1 << (token.charAt(i) & 31);
    }
    return m;
  }

  /**
   * Whether the two are the same once runs of one letter are written once ({@code uun}/{@code un}).
   */
  public static boolean sameCollapsed(String a, String b) {
    int i = 0;
    int j = 0;
    int n = a.length();
    int m = b.length();
    while (i < n && j < m) {
      char c = a.charAt(i);
      if (c != b.charAt(j)) {
        return false;
      }
      while (i < n && a.charAt(i) == c) {
        i++;
      }
      while (j < m && b.charAt(j) == c) {
        j++;
      }
    }
    return i == n && j == m;
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

  /**
   * A consonant skeleton: the first letter, then the consonants with doubles collapsed and
   * look-alike sounds merged, so {@code mohammed} and {@code muhammad} share {@code mhmd}.
   */
  public static String skeleton(String token) {
    int len = token.length();
    if (len == 0) {
      return token;
    }
    char[] out = new char[len];
    int n = 0;
    char last = 0;
    for (int i = 0; i < len; i++) {
      char c = token.charAt(i);
      char next = i + 1 < len ? token.charAt(i + 1) : 0;
      boolean vowel = false;
      char s;
      if (c == 'p' && next == 'h') {
        s = 'f';
        i++;
      } else if (c == 'c' && next == 'h') {
        s = 's';
        i++;
      } else if ((c == 'z' && next == 'h') || (c == 'd' && next == 'j')) {
        s = 'g';
        i++;
      } else if (i == 0 && c == 'w') {
        s = 'f';
      } else if (vowelLike(c)) {
        vowel = true;
        s = 'a';
      } else {
        s = sound(c);
      }
      if (n == 0) {
        out[n++] = s;
        last = s;
      } else if (vowel) {
        last = 0;
      } else {
        if (s != last) {
          out[n++] = s;
        }
        last = s;
      }
    }
    return new String(out, 0, n);
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

  /**
   * The word's shape: {@code c} for each run of consonants, {@code v} for each run of vowels
   * ({@code kelsey} is cvcvc... as {@link #skeleton} counts y, h and w among the vowels).
   */
  public static String shape(String token) {
    StringBuilder b = new StringBuilder(token.length());
    char last = 0;
    for (int i = 0; i < token.length(); i++) {
      char k = vowelLike(token.charAt(i)) ? 'v' : 'c';
      if (k != last) {
        b.append(k);
        last = k;
      }
    }
    return b.toString();
  }
}
