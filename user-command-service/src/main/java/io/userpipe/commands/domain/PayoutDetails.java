package io.userpipe.commands.domain;

import java.util.Locale;

/**
 * Where a user is paid: one of the kinds, with the fields that kind has (the others null). The
 * account number is plaintext only here, in memory; it leaves the service sealed.
 */
public record PayoutDetails(
    String kind,
    String routingNumber,
    String accountNumber,
    String accountType,
    String email,
    String phone,
    String cashtag) {

  public static final String ACH = "ach";
  public static final String PAYPAL = "paypal";
  public static final String VENMO = "venmo";
  public static final String CASH_APP = "cash_app";

  public static PayoutDetails ach(String routingNumber, String accountNumber, String accountType) {
    return new PayoutDetails(ACH, routingNumber, accountNumber, accountType, null, null, null);
  }

  public static PayoutDetails paypal(String email) {
    return new PayoutDetails(PAYPAL, null, null, null, email, null, null);
  }

  public static PayoutDetails venmo(String phone) {
    return new PayoutDetails(VENMO, null, null, null, null, phone, null);
  }

  public static PayoutDetails cashApp(String cashtag) {
    return new PayoutDetails(CASH_APP, null, null, null, null, null, cashtag);
  }

  /** What makes two methods the same account, whatever the spelling. */
  public String identity() {
    return switch (kind) {
      case ACH -> ACH + ":" + routingNumber + ":" + accountNumber;
      case PAYPAL -> PAYPAL + ":" + email.toLowerCase(Locale.ROOT);
      case VENMO -> VENMO + ":" + phone;
      case CASH_APP -> CASH_APP + ":" + cashtag.toLowerCase(Locale.ROOT);
      default -> kind;
    };
  }

  /**
   * What may be shown: never a whole account number. Account and phone numbers show their last 4
   * digits, or fewer for short numbers (at most half of them); an email its first letter and
   * domain; a cashtag is a public handle and shows whole.
   */
  public String mask() {
    return switch (kind) {
      case ACH -> lastDigits(accountNumber);
      case VENMO -> lastDigits(phone);
      case PAYPAL -> email.charAt(0) + "***" + email.substring(email.indexOf('@'));
      case CASH_APP -> cashtag;
      default -> "";
    };
  }

  static String lastDigits(String digits) {
    String plain = digits.replaceAll("[^0-9]", "");
    int shown = Math.min(4, plain.length() / 2);
    return "****" + plain.substring(plain.length() - shown);
  }

  @Override
  public String toString() {
    return "PayoutDetails[" + kind + ", " + (kind.equals(ACH) ? mask() : "<sealed>") + "]";
  }
}
