package io.userpipe.commands.domain;

import io.userpipe.commands.domain.Command.Address;
import io.userpipe.commands.domain.Command.SubmitCompliance;
import io.userpipe.commands.domain.Command.W8Ben;
import io.userpipe.commands.domain.Command.W9;
import io.userpipe.commands.domain.TinRules.TinType;
import java.util.Locale;
import java.util.Optional;

/**
 * The structural rules of a compliance submission, checked at the door so that a typo is a clear
 * 400 now rather than a "mismatched" hours later. Rejections name the JSON field ({@code w9.tin},
 * {@code w8ben.citizenship_country}, ...).
 */
public final class ComplianceRules {

  private final CreateUserValidator fields;

  public ComplianceRules(CreateUserValidator fields) {
    this.fields = fields;
  }

  /** The TIN type a valid W-9 has, or the first rule it breaks. */
  public sealed interface W9Result {
    record Valid(TinType type, String digits) implements W9Result {}

    record Invalid(Rejection rejection) implements W9Result {}
  }

  public Optional<Rejection> shape(SubmitCompliance c) {
    if ((c.w9() == null) == (c.w8ben() == null)) {
      return Optional.of(Rejection.invalid("w9", "submit exactly one of w9 and w8ben"));
    }
    return Optional.empty();
  }

  public W9Result validate(W9 w9) {
    String entity = w9.entityType() == null ? "" : w9.entityType();
    boolean business;
    if (entity.equals("individual")) {
      business = false;
      var broken =
          CreateUserValidator.name("w9.first_name", w9.firstName())
              .or(() -> CreateUserValidator.name("w9.last_name", w9.lastName()))
              .or(() -> fields.dateOfBirth("w9.date_of_birth", w9.dateOfBirth()));
      if (broken.isPresent()) {
        return new W9Result.Invalid(broken.get());
      }
    } else if (entity.equals("business")) {
      business = true;
      var broken = CreateUserValidator.name("w9.business_name", w9.businessName());
      if (broken.isPresent()) {
        return new W9Result.Invalid(broken.get());
      }
    } else {
      return invalid("w9.entity_type", "must be individual or business");
    }
    Optional<String> digits = TinRules.digits(w9.tin());
    if (digits.isEmpty()) {
      return invalid("w9.tin", "must be 9 digits (dashes allowed)");
    }
    TinType type;
    if (w9.tinType() == null) {
      type = business ? TinType.EIN : (digits.get().charAt(0) == '9' ? TinType.ITIN : TinType.SSN);
    } else {
      try {
        type = TinType.valueOf(w9.tinType().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return invalid("w9.tin_type", "must be ssn, ein or itin");
      }
    }
    if (business && type != TinType.EIN) {
      return invalid("w9.tin_type", "a business is identified by an EIN");
    }
    if (!business && type == TinType.EIN) {
      return invalid("w9.tin_type", "an individual is identified by an SSN or an ITIN");
    }
    Optional<String> violation = TinRules.violation(type, digits.get());
    if (violation.isPresent()) {
      return invalid("w9.tin", violation.get());
    }
    Optional<Rejection> address = address("w9.address", w9.address());
    if (address.isPresent()) {
      return new W9Result.Invalid(address.get());
    }
    return new W9Result.Valid(type, digits.get());
  }

  public Optional<Rejection> validate(W8Ben w8) {
    return CreateUserValidator.name("w8ben.name", w8.name())
        .or(() -> country("w8ben.citizenship_country", w8.citizenshipCountry()))
        .or(() -> fields.dateOfBirth("w8ben.date_of_birth", w8.dateOfBirth()))
        .or(
            () ->
                w8.foreignTaxId() != null
                        && (w8.foreignTaxId().isBlank() || w8.foreignTaxId().length() > 30)
                    ? Optional.of(
                        Rejection.invalid("w8ben.foreign_tax_id", "must be 1 to 30 characters"))
                    : Optional.empty())
        .or(
            () ->
                w8.treatyCountry() == null
                    ? Optional.empty()
                    : country("w8ben.treaty_country", w8.treatyCountry()))
        .or(() -> address("w8ben.address", w8.address()))
        .or(() -> CreateUserValidator.name("w8ben.signature_name", w8.signatureName()))
        .or(
            () ->
                w8.signatureConsent()
                    ? Optional.empty()
                    : Optional.of(
                        Rejection.invalid(
                            "w8ben.signature_consent",
                            "the payee must consent to sign electronically")));
  }

  private static Optional<Rejection> address(String field, Address a) {
    if (a == null) {
      return Optional.empty();
    }
    return CreateUserValidator.name(field + ".line_1", a.line1())
        .or(() -> CreateUserValidator.name(field + ".city", a.city()))
        .or(() -> CreateUserValidator.name(field + ".postcode", a.postcode()))
        .or(() -> country(field + ".country", a.country()));
  }

  private static Optional<Rejection> country(String field, String value) {
    if (value == null || !value.matches("[A-Z]{2}")) {
      return Optional.of(Rejection.invalid(field, "must be an ISO 3166-1 alpha-2 country code"));
    }
    return Optional.empty();
  }

  private static W9Result invalid(String field, String message) {
    return new W9Result.Invalid(Rejection.invalid(field, message));
  }
}
