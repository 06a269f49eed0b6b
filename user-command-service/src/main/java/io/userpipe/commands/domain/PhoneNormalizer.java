package io.userpipe.commands.domain;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a calling code and a national number into one E.164 identity, or says why it cannot.
 *
 * <p>A create is normalized twice, by the phone-keyed router and then by the user-keyed decider,
 * and parsing with libphonenumber was the largest cost of either in a profile under load. The
 * answer depends only on the two strings, so the latest answers are remembered.
 */
public final class PhoneNormalizer {

  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  private static final int REMEMBERED = 4096;
  private static final Pattern COUNTRY_CODE = Pattern.compile("[0-9]{1,3}");
  private static final Pattern NATIONAL_NUMBER = Pattern.compile("[0-9]{2,17}");

  private final Map<String, Result> recent =
      new LinkedHashMap<>(REMEMBERED * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Result> eldest) {
          return size() > REMEMBERED;
        }
      };

  /** The result: a normalized phone, or a rejection naming the field to blame. */
  public sealed interface Result {
    record Valid(Phone phone) implements Result {}

    record Invalid(Rejection rejection) implements Result {}
  }

  public Result normalize(String countryCode, String phoneNumber) {
    String key = countryCode + "|" + phoneNumber;
    synchronized (recent) {
      Result known = recent.get(key);
      if (known != null) {
        return known;
      }
    }
    Result result = parse(countryCode, phoneNumber);
    synchronized (recent) {
      recent.put(key, result);
    }
    return result;
  }

  private static Result parse(String countryCode, String phoneNumber) {
    if (countryCode == null || !COUNTRY_CODE.matcher(countryCode).matches()) {
      return invalid("country_code", "must be 1 to 3 digits, without '+'");
    }
    String region = PHONES.getRegionCodeForCountryCode(Integer.parseInt(countryCode));
    if ("ZZ".equals(region)) {
      return invalid("country_code", "unknown calling code " + countryCode);
    }
    if (phoneNumber == null || !NATIONAL_NUMBER.matcher(phoneNumber).matches()) {
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
