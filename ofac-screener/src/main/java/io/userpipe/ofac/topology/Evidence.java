package io.userpipe.ofac.topology;

import io.userpipe.ofac.domain.Finding;
import io.userpipe.ofac.list.SdnEntry;
import io.userpipe.ofac.match.ScreeningMatch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
        Math.round(m.score() * 1000) / 1000.0,
        listVersion,
        fingerprint(m.entry()),
        nameSource,
        null);
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
