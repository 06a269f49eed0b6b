package io.userpipe.ofac.list;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Versions of the shipped list for the fetch tests: the shipped files with one more entry (a good
 * newer version no other test has published on the shared broker), and with a broken line.
 */
final class ListVersions {
  private ListVersions() {}

  /** The shipped list with one more individual, under an {@code ent_num} OFAC never used. */
  static ListFiles newer() throws IOException {
    int entNum = 90_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
    return withSdnLine(
        entNum
            + ",\"FRESHLY, Listed "
            + entNum
            + "\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");
  }

  /** The shipped list with a line of three fields where {@code sdn.csv} has twelve. */
  static ListFiles malformed() throws IOException {
    return withSdnLine("12345,\"BROKEN, Line\",\"individual\"\r\n");
  }

  /**
   * The shipped files with {@code line} added at the end of {@code sdn.csv}, before its EOF byte.
   */
  private static ListFiles withSdnLine(String line) throws IOException {
    ListFiles shipped = ListFiles.shipped();
    String sdn = new String(shipped.file("sdn.csv"), StandardCharsets.ISO_8859_1);
    int eof = sdn.lastIndexOf('\u001a');
    String changed = eof < 0 ? sdn + line : sdn.substring(0, eof) + line + sdn.substring(eof);
    var files = new HashMap<>(shipped.files());
    files.put("sdn.csv", changed.getBytes(StandardCharsets.ISO_8859_1));
    return new ListFiles(files);
  }
}
