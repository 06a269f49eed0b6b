package io.userpipe.tin.provider;

/**
 * The IRS TIN Matching answer codes and what they mean here. Codes 4 (invalid request) and 5
 * (duplicate request) say nothing about the TIN itself: the request is asked again later.
 */
public final class IrsCodes {

  private IrsCodes() {}

  public static boolean isMatch(int code) {
    return code == 0 || code == 6 || code == 7 || code == 8;
  }

  public static boolean isMismatch(int code) {
    return code == 1 || code == 2 || code == 3;
  }

  public static boolean isRetryable(int code) {
    return code == 4 || code == 5;
  }

  public static String describe(int code) {
    return switch (code) {
      case 0 -> "IRS code 0: TIN and name match";
      case 1 -> "IRS code 1: TIN missing or not 9 digits";
      case 2 -> "IRS code 2: TIN not issued";
      case 3 -> "IRS code 3: TIN and name do not match";
      case 4 -> "IRS code 4: invalid request";
      case 5 -> "IRS code 5: duplicate request";
      case 6 -> "IRS code 6: matched an SSN";
      case 7 -> "IRS code 7: matched an EIN";
      case 8 -> "IRS code 8: matched both an SSN and an EIN";
      default -> "IRS code " + code + ": unknown";
    };
  }
}
