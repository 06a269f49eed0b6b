package io.userpipe.projections.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.userpipe.schemas.OfacTokenMatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Given the evidence's tokens, then which words of a name are marked, and nothing unescaped. */
class NameMarksTest {

  private static final List<OfacTokenMatch> TOKENS =
      List.of(
          new OfacTokenMatch("maduro", "exact", 1.0),
          new OfacTokenMatch("moros", "typo", 0.9),
          new OfacTokenMatch("nicolas", "unmatched", 0.0));

  @Test
  void marksTheMatchedTokensSayingHow() {
    String html = NameMarks.mark("MADURO MOROS, Nicolas", NameMarks.matched(TOKENS));
    assertEquals(
        "<mark title=\"matched: exact\">MADURO<span class=\"visually-hidden\"> (matched: exact)"
            + "</span></mark> <mark title=\"matched: typo\">MOROS<span class=\"visually-hidden\">"
            + " (matched: typo)</span></mark>, Nicolas",
        html);
  }

  @Test
  void comparesWithoutAccentsOrCaseAndEscapesTheRest() {
    String html = NameMarks.mark("<b>Madúro</b>", NameMarks.matched(TOKENS));
    assertEquals(
        "&lt;b&gt;<mark title=\"matched: exact\">Madúro<span class=\"visually-hidden\"> (matched:"
            + " exact)</span></mark>&lt;/b&gt;",
        html);
  }
}
