package io.userpipe.tin.provider;

import java.util.Locale;

/**
 * Lines of an IRS bulk TIN Matching request file (Publication 2108A): {@code TIN type;TIN;Name;
 * Account number}, CRLF-terminated, at most 100,000 lines a file. TIN type 1 is an EIN, 2 an SSN
 * (or ITIN), 3 unknown; the account number carries our request id back in the response.
 */
public final class IrsBulkRequestFile {

  public static final int MAX_LINES = 100_000;
  static final String LINE_END = "\r\n";

  private IrsBulkRequestFile() {}

  public static String line(TinMatchRequest request) {
    if (request.requestId().contains(";")) {
      throw new IllegalArgumentException("request id " + request.requestId() + " contains ';'");
    }
    return typeCode(request.type())
        + ";"
        + request.tin()
        + ";"
        + name(request.name())
        + ";"
        + request.requestId()
        + LINE_END;
  }

  static int typeCode(TinType type) {
    return switch (type) {
      case EIN -> 1;
      case SSN, ITIN -> 2;
      case UNKNOWN -> 3;
    };
  }

  /** Up to 40 characters: letters, digits, spaces, '&' and '-', uppercased. */
  static String name(String name) {
    String cleaned = name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9 &-]", "").trim();
    return cleaned.length() > 40 ? cleaned.substring(0, 40) : cleaned;
  }
}
