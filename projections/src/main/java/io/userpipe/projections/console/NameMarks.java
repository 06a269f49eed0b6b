package io.userpipe.projections.console;

import io.userpipe.schemas.OfacTokenMatch;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names with the tokens that matched marked. The evidence records how each token of the listed name
 * met the person's name (never the person's tokens: they stay in the matcher), so the listed name
 * is marked from the evidence, and the person's name where a word is the same token as a matched
 * listed one. A mark is a {@code <mark>} with the way it matched in words, never colour alone.
 */
final class NameMarks {

  private NameMarks() {}

  /** How each matched listed token matched, by token; unmatched tokens left out. */
  static Map<String, String> matched(List<OfacTokenMatch> tokens) {
    var out = new HashMap<String, String>();
    for (OfacTokenMatch t : tokens) {
      if (!"unmatched".equals(t.getHow())) {
        out.put(t.getListedToken(), t.getHow());
      }
    }
    return out;
  }

  /** {@code name} escaped, each word whose normalized form is a key of {@code marks} marked. */
  static String mark(String name, Map<String, String> marks) {
    if (name == null) {
      return Html.orNone(null);
    }
    var out = new StringBuilder();
    int i = 0;
    while (i < name.length()) {
      int start = i;
      boolean word = Character.isLetterOrDigit(name.codePointAt(i));
      while (i < name.length() && Character.isLetterOrDigit(name.codePointAt(i)) == word) {
        i += Character.charCount(name.codePointAt(i));
      }
      String piece = name.substring(start, i);
      String how = word ? marks.get(normalize(piece)) : null;
      if (how == null) {
        out.append(Html.esc(piece));
      } else {
        out.append("<mark title=\"matched: ")
            .append(Html.esc(how))
            .append("\">")
            .append(Html.esc(piece))
            .append("<span class=\"visually-hidden\"> (matched: ")
            .append(Html.esc(how))
            .append(")</span></mark>");
      }
    }
    return out.toString();
  }

  /** Lower case, accents off: the matcher's normalized tokens compare so. */
  static String normalize(String word) {
    String decomposed = Normalizer.normalize(word, Normalizer.Form.NFD);
    return decomposed.replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
  }
}
