package io.userpipe.ofac.topology;

import io.userpipe.ofac.domain.Finding;
import io.userpipe.ofac.list.SdnEntry;
import io.userpipe.ofac.list.SdnType;
import io.userpipe.ofac.match.ScreeningIndex;
import io.userpipe.ofac.match.ScreeningMatch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Turns the matcher's matches into findings, the decider's evidence. */
final class Evidence {
  private Evidence() {}

  /** A match of the name from {@code nameSource} (which of the person's names it was). */
  static Finding of(ScreeningMatch m, String listVersion, String nameSource) {
    return new Finding(
        m.entry().entNum(),
        m.entry().name(),
        m.matchedName(),
        m.matchedKind(),
        m.entry().programs(),
        rounded(m.score()),
        listVersion,
        fingerprint(m.entry()),
        nameSource,
        null,
        List.of(),
        m.entry().birthDates(),
        m.entry().countries());
  }

  /**
   * The finding with how each token of its listed name met {@code queryName}, the person's name
   * that found it (the explanation of the name score, before date-of-birth and country adjust it).
   * Only the listed tokens are kept: the person's name stays in the matcher.
   */
  static Finding explained(Finding f, ScreeningIndex index, String queryName, SdnType type) {
    return f.withTokens(
        index.explain(queryName, f.matchedName(), type).tokens().stream()
            .map(t -> new Finding.Token(t.listedToken(), t.how(), rounded(t.similarity())))
            .toList());
  }

  /** Three places, as a score is published. */
  private static double rounded(double x) {
    return Math.round(x * 1000) / 1000.0;
  }

  /**
   * A hash of who the entry says the person is: name, type, programs, dates of birth and
   * nationalities. A reviewer's clearance holds while these stay the same, whatever else about the
   * entry (addresses, remarks, the aliases a list carries) is edited or missing.
   */
  static String fingerprint(SdnEntry entry) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  String.join(
                          "\u0000",
                          entry.name(),
                          entry.type().label(),
                          String.join("|", entry.programs()),
                          String.join("|", entry.birthDates()),
                          String.join("|", entry.nationalities()))
                      .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
