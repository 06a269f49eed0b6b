package io.userpipe.commands.domain;

import java.util.Optional;
import java.util.Set;

/**
 * The structural rules of a US taxpayer identification number, checked at the door before a TIN is
 * sealed and sent for verification. They catch typos and impossible numbers; whether the number
 * belongs to the name is the TIN-matching provider's answer, not ours.
 */
public final class TinRules {

  /** The kinds of TIN. */
  public enum TinType {
    SSN,
    EIN,
    ITIN
  }

  /** EIN prefixes the IRS has never assigned to a campus. */
  private static final Set<Integer> UNASSIGNED_EIN_PREFIXES =
      Set.of(0, 7, 8, 9, 17, 18, 19, 28, 29, 49, 69, 70, 78, 79, 89, 96, 97);

  private TinRules() {}

  /** The nine digits of a TIN written with or without dashes, or a rejection. */
  public static Optional<String> digits(String tin) {
    if (tin == null) {
      return Optional.empty();
    }
    String digits = tin.replace("-", "");
    return digits.matches("[0-9]{9}") ? Optional.of(digits) : Optional.empty();
  }

  /** The first rule a nine-digit TIN of the given type breaks, if any. */
  public static Optional<String> violation(TinType type, String digits) {
    int area = Integer.parseInt(digits.substring(0, 3));
    int group = Integer.parseInt(digits.substring(3, 5));
    int serial = Integer.parseInt(digits.substring(5));
    return switch (type) {
      case SSN -> {
        if (area == 0 || area == 666 || area >= 900) {
          yield Optional.of("an SSN cannot start with 000, 666 or 900-999");
        }
        if (group == 0) {
          yield Optional.of("an SSN cannot have 00 as its 4th and 5th digits");
        }
        yield serial == 0 ? Optional.of("an SSN cannot end with 0000") : Optional.empty();
      }
      case ITIN -> {
        if (digits.charAt(0) != '9') {
          yield Optional.of("an ITIN starts with 9");
        }
        yield isItinGroup(group)
            ? Optional.empty()
            : Optional.of("an ITIN has 50-65, 70-88, 90-92 or 94-99 as its 4th and 5th digits");
      }
      case EIN ->
          UNASSIGNED_EIN_PREFIXES.contains(Integer.parseInt(digits.substring(0, 2)))
              ? Optional.of("EIN prefix " + digits.substring(0, 2) + " is not assigned by the IRS")
              : Optional.empty();
    };
  }

  /** The last four digits, the only part of a TIN that is ever shown. */
  public static String last4(String digits) {
    return digits.substring(digits.length() - 4);
  }

  static boolean isItinGroup(int group) {
    return (group >= 50 && group <= 65)
        || (group >= 70 && group <= 88)
        || (group >= 90 && group <= 92)
        || (group >= 94 && group <= 99);
  }
}
