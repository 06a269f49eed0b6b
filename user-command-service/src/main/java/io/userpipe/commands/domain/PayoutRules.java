package io.userpipe.commands.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules a payout method must pass: ACH routing numbers (nine digits, an assigned prefix, the
 * ABA checksum), account numbers, emails, phones and cashtags. Field names are the JSON ones.
 */
public final class PayoutRules {

  /** What a valid method normalizes to, or why it is refused. */
  public sealed interface Result {
    record Valid(PayoutDetails details) implements Result {}

    record Invalid(Rejection rejection) implements Result {}
  }

  private static final Pattern CASHTAG = Pattern.compile("\\$?([A-Za-z0-9_]{1,20})");
  private final PhoneNormalizer phones;

  public PayoutRules(PhoneNormalizer phones) {
    this.phones = phones;
  }

  public Result validate(PayoutDetails d) {
    if (d == null || d.kind() == null) {
      return invalid("type", "is required: ach, paypal, venmo or cash_app");
    }
    return switch (d.kind()) {
      case PayoutDetails.ACH -> ach(d);
      case PayoutDetails.PAYPAL ->
          CreateUserValidator.email("email", d.email())
              .<Result>map(Result.Invalid::new)
              .orElseGet(() -> new Result.Valid(PayoutDetails.paypal(d.email().strip())));
      case PayoutDetails.VENMO -> venmo(d);
      case PayoutDetails.CASH_APP -> cashApp(d);
      default -> invalid("type", "must be ach, paypal, venmo or cash_app, not " + d.kind());
    };
  }

  private Result ach(PayoutDetails d) {
    Optional<String> routing = routingNumberProblem(d.routingNumber());
    if (routing.isPresent()) {
      return invalid("routing_number", routing.get());
    }
    if (d.accountNumber() == null || !d.accountNumber().matches("[0-9]{4,17}")) {
      return invalid("account_number", "must be 4 to 17 digits");
    }
    String type = d.accountType() == null ? null : d.accountType().toLowerCase(Locale.ROOT);
    if (!"checking".equals(type) && !"savings".equals(type)) {
      return invalid("account_type", "must be checking or savings");
    }
    return new Result.Valid(PayoutDetails.ach(d.routingNumber(), d.accountNumber(), type));
  }

  /**
   * Why a routing number is not one, if it is not: nine digits, the first two in a range the
   * Federal Reserve assigns to institutions that take ACH (01–12, 21–32, 61–72; 00 is the US
   * government's, 80 traveler's cheques'), and 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod
   * 10).
   */
  public static Optional<String> routingNumberProblem(String routing) {
    if (routing == null || !routing.matches("[0-9]{9}")) {
      return Optional.of("must be 9 digits");
    }
    int prefix = Integer.parseInt(routing.substring(0, 2));
    boolean assigned =
        (prefix >= 1 && prefix <= 12)
            || (prefix >= 21 && prefix <= 32)
            || (prefix >= 61 && prefix <= 72);
    if (!assigned) {
      return Optional.of(
          "starts with "
              + routing.substring(0, 2)
              + ", which is not an assigned ACH range (01-12, 21-32, 61-72)");
    }
    int[] d = routing.chars().map(c -> c - '0').toArray();
    int sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
    if (sum % 10 != 0) {
      return Optional.of("fails the ABA checksum");
    }
    return Optional.empty();
  }

  private Result venmo(PayoutDetails d) {
    String digits = d.phone() == null ? null : d.phone().replaceAll("[\\s().+-]", "");
    if (digits != null && digits.length() == 11 && digits.startsWith("1")) {
      digits = digits.substring(1);
    }
    var result = phones.normalize("1", digits);
    if (result instanceof PhoneNormalizer.Result.Invalid) {
      return invalid("phone_number", "must be a US phone number (Venmo is US only)");
    }
    return new Result.Valid(
        PayoutDetails.venmo(((PhoneNormalizer.Result.Valid) result).phone().e164()));
  }

  private static Result cashApp(PayoutDetails d) {
    var m = d.cashtag() == null ? null : CASHTAG.matcher(d.cashtag().strip());
    if (m == null || !m.matches() || !m.group(1).matches(".*[A-Za-z].*")) {
      return invalid(
          "cash_tag",
          "must be $ and 1 to 20 letters, digits or underscores, with at least one letter");
    }
    return new Result.Valid(PayoutDetails.cashApp("$" + m.group(1)));
  }

  private static Result invalid(String field, String message) {
    return new Result.Invalid(Rejection.invalid(field, message));
  }
}
