package io.userpipe.commands.domain;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;

/** Turns a calling code and a national number into one E.164 identity, or says why it cannot. */
public final class PhoneNormalizer {

  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

  /** The result: a normalized phone, or a rejection naming the field to blame. */
  public sealed interface Result {
    record Valid(Phone phone) implements Result {}

    record Invalid(Rejection rejection) implements Result {}
  }

  public Result normalize(String countryCode, String phoneNumber) {
    if (countryCode == null || !countryCode.matches("[0-9]{1,3}")) {
      return invalid("country_code", "must be 1 to 3 digits, without '+'");
    }
    String region = PHONES.getRegionCodeForCountryCode(Integer.parseInt(countryCode));
    if ("ZZ".equals(region)) {
      return invalid("country_code", "unknown calling code " + countryCode);
    }
    if (phoneNumber == null || !phoneNumber.matches("[0-9]{2,17}")) {
      return invalid("phone_number", "must be 2 to 17 digits");
    }
    try {
      var parsed = PHONES.parse(phoneNumber, region);
      if (parsed.getCountryCode() != Integer.parseInt(countryCode)
          || !PHONES.isValidNumber(parsed)) {
        return invalid(
            "phone_number", "is not a possible phone number for country code " + countryCode);
      }
      String e164 = PHONES.format(parsed, PhoneNumberFormat.E164);
      return new Result.Valid(
          new Phone(
              String.valueOf(parsed.getCountryCode()),
              PHONES.getNationalSignificantNumber(parsed),
              e164));
    } catch (NumberParseException e) {
      return invalid("phone_number", "is not a phone number: " + e.getErrorType());
    }
  }

  private static Result invalid(String field, String message) {
    return new Result.Invalid(Rejection.invalid(field, message));
  }
}
