package io.userpipe.commands.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class PhoneNormalizerTest {

  private final PhoneNormalizer phones = new PhoneNormalizer();

  private Phone valid(String cc, String number) {
    return assertInstanceOf(PhoneNormalizer.Result.Valid.class, phones.normalize(cc, number))
        .phone();
  }

  private Rejection invalid(String cc, String number) {
    return assertInstanceOf(PhoneNormalizer.Result.Invalid.class, phones.normalize(cc, number))
        .rejection();
  }

  @Test
  void normalizesUsNumberToE164() {
    Phone phone = valid("1", "2025550173");
    assertEquals("+12025550173", phone.e164());
    assertEquals("1", phone.countryCode());
    assertEquals("2025550173", phone.nationalNumber());
  }

  @Test
  void dropsTheNationalTrunkPrefix() {
    assertEquals("+447911123456", valid("44", "07911123456").e164());
    assertEquals("+447911123456", valid("44", "7911123456").e164());
  }

  @Test
  void rejectsUnknownCallingCode() {
    Rejection r = invalid("999", "2025550173");
    assertEquals("country_code", r.field());
  }

  @Test
  void rejectsCountryCodeWithPlusOrLetters() {
    assertEquals("country_code", invalid("+1", "2025550173").field());
    assertEquals("country_code", invalid("US", "2025550173").field());
  }

  @Test
  void rejectsImpossibleNumberForItsCountry() {
    Rejection r = invalid("1", "1234");
    assertEquals("phone_number", r.field());
  }

  @Test
  void rejectsNonDigitNumbers() {
    assertEquals("phone_number", invalid("1", "202-555-0173").field());
  }
}
