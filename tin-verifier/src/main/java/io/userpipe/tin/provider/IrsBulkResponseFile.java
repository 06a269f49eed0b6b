package io.userpipe.tin.provider;

import java.util.HashMap;
import java.util.Map;

/**
 * Parses an IRS bulk TIN Matching response file: each request line with {@code ;<code>} appended. A
 * malformed line refuses the whole file, naming the line (never its TIN).
 */
public final class IrsBulkResponseFile {

  private IrsBulkResponseFile() {}

  /** Request id (the account number field) to IRS answer code. */
  public static Map<String, Integer> parse(String content, String fileName) {
    var codes = new HashMap<String, Integer>();
    String[] lines = content.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.split(";", -1);
      if (fields.length != 5
          || !fields[0].matches("[123]")
          || !fields[1].matches("[0-9]{9}")
          || fields[3].isEmpty()
          || !fields[4].trim().matches("[0-8]")) {
        throw new IllegalArgumentException(
            fileName
                + " line "
                + (i + 1)
                + ": expected type;TIN;name;account;code with a code 0-8");
      }
      codes.put(fields[3], Integer.parseInt(fields[4].trim()));
    }
    return codes;
  }
}
