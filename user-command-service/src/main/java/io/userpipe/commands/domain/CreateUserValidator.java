package io.userpipe.commands.domain;

import io.userpipe.commands.domain.Command.CreateUser;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The field rules of a CreateUser, checked before a phone number is claimed so that an invalid
 * command never takes a number.
 */
public final class CreateUserValidator {

  static final int MAX_NAME = 100;
  static final int MAX_EMAIL = 254;
  static final int MAX_METADATA_ENTRIES = 50;
  static final int MAX_METADATA_KEY = 40;
  static final int MAX_METADATA_VALUE = 500;

  /** The key a string metadata is held under (Dots takes a string or an object). */
  public static final String STRING_METADATA_KEY =
      io.userpipe.schemas.vocabulary.Metadata.STRING_KEY;

  // Deliberately plain: one @, a dotted domain, no spaces. Deliverability is proven elsewhere.
  private static final Pattern EMAIL =
      Pattern.compile(
          "^[^@\\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");
  private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

  private final PhoneNormalizer phones;
  private final Clock clock;

  public CreateUserValidator(PhoneNormalizer phones, Clock clock) {
    this.phones = phones;
    this.clock = clock;
  }

  /** The normalized phone of a valid command, or the first rule it breaks. */
  public PhoneNormalizer.Result validate(CreateUser c) {
    Optional<Rejection> broken =
        name("first_name", c.firstName())
            .or(() -> name("last_name", c.lastName()))
            .or(() -> email("email", c.email()))
            .or(() -> username(c.username()))
            .or(() -> dateOfBirth("date_of_birth", c.dateOfBirth()))
            .or(() -> metadata(c.metadata()));
    return broken
        .<PhoneNormalizer.Result>map(PhoneNormalizer.Result.Invalid::new)
        .orElseGet(() -> phones.normalize(c.countryCode(), c.phoneNumber()));
  }

  /** The first rule a change of mutable fields breaks; absent fields are not checked. */
  public Optional<Rejection> validateUpdate(Command.UpdateUser u) {
    return Optional.<Rejection>empty()
        .or(() -> u.firstName() == null ? Optional.empty() : name("first_name", u.firstName()))
        .or(() -> u.lastName() == null ? Optional.empty() : name("last_name", u.lastName()))
        .or(() -> u.email() == null ? Optional.empty() : email("email", u.email()))
        .or(() -> dateOfBirth("date_of_birth", u.dateOfBirth()))
        .or(() -> u.metadata() == null ? Optional.empty() : metadata(u.metadata()));
  }

  public static Optional<Rejection> name(String field, String value) {
    if (value == null || value.isBlank()) {
      return Optional.of(Rejection.invalid(field, "is required"));
    }
    if (value.length() > MAX_NAME) {
      return Optional.of(Rejection.invalid(field, "is longer than " + MAX_NAME + " characters"));
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      return Optional.of(Rejection.invalid(field, "contains control characters"));
    }
    return Optional.empty();
  }

  static Optional<Rejection> email(String field, String value) {
    if (value == null || value.isBlank()) {
      return Optional.of(Rejection.invalid(field, "is required"));
    }
    if (value.length() > MAX_EMAIL || !EMAIL.matcher(value).matches()) {
      return Optional.of(Rejection.invalid(field, "is not a valid email address"));
    }
    return Optional.empty();
  }

  static Optional<Rejection> username(String value) {
    if (value != null && !USERNAME.matcher(value).matches()) {
      return Optional.of(
          Rejection.invalid("username", "must be 1 to 64 letters, digits, '_', '.' or '-'"));
    }
    return Optional.empty();
  }

  public Optional<Rejection> dateOfBirth(String field, String value) {
    if (value == null) {
      return Optional.empty();
    }
    LocalDate date;
    try {
      date = LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      return Optional.of(Rejection.invalid(field, "is not a date (YYYY-MM-DD)"));
    }
    LocalDate today = LocalDate.now(clock);
    if (date.isAfter(today)) {
      return Optional.of(Rejection.invalid(field, "is in the future"));
    }
    if (date.isBefore(today.minusYears(130))) {
      return Optional.of(Rejection.invalid(field, "is more than 130 years ago"));
    }
    return Optional.empty();
  }

  static Optional<Rejection> metadata(Map<String, String> metadata) {
    if (metadata.size() > MAX_METADATA_ENTRIES) {
      return Optional.of(
          Rejection.invalid("metadata", "has more than " + MAX_METADATA_ENTRIES + " keys"));
    }
    if (metadata.size() == 1 && metadata.containsKey(STRING_METADATA_KEY)) {
      // Dots' string metadata, held under the one empty key (an object may not use it)
      String value = metadata.get(STRING_METADATA_KEY);
      return value == null || value.length() > MAX_METADATA_VALUE
          ? Optional.of(
              Rejection.invalid(
                  "metadata", "must be a string of at most " + MAX_METADATA_VALUE + " characters"))
          : Optional.empty();
    }
    for (var entry : metadata.entrySet()) {
      if (entry.getKey().isEmpty() || entry.getKey().length() > MAX_METADATA_KEY) {
        return Optional.of(
            Rejection.invalid("metadata", "keys must be 1 to " + MAX_METADATA_KEY + " characters"));
      }
      if (entry.getValue() == null || entry.getValue().length() > MAX_METADATA_VALUE) {
        return Optional.of(
            Rejection.invalid(
                "metadata." + entry.getKey(),
                "must be a string of at most " + MAX_METADATA_VALUE + " characters"));
      }
    }
    return Optional.empty();
  }
}
