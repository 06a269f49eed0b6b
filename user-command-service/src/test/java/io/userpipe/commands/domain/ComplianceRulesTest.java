package io.userpipe.commands.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.commands.domain.Command.Address;
import io.userpipe.commands.domain.Command.SubmitCompliance;
import io.userpipe.commands.domain.Command.W8Ben;
import io.userpipe.commands.domain.Command.W9;
import io.userpipe.commands.domain.ComplianceRules.W9Result;
import io.userpipe.commands.domain.TinRules.TinType;
import org.junit.jupiter.api.Test;

class ComplianceRulesTest {

  private final ComplianceRules rules =
      new ComplianceRules(
          new CreateUserValidator(new PhoneNormalizer(), CreateUserValidatorTest.CLOCK));

  static W9 individual(String tin, String type) {
    return new W9("individual", "Ada", "Lovelace", null, "1990-12-10", tin, type, null);
  }

  static W9 business(String tin, String type) {
    return new W9("business", null, null, "Analytical Engines LLC", null, tin, type, null);
  }

  private String rejectedField(W9 w9) {
    return assertInstanceOf(W9Result.Invalid.class, rules.validate(w9)).rejection().field();
  }

  @Test
  void infersSsnItinAndEinWhenNoTypeIsGiven() {
    assertEquals(
        TinType.SSN,
        assertInstanceOf(W9Result.Valid.class, rules.validate(individual("123-45-6789", null)))
            .type());
    assertEquals(
        TinType.ITIN,
        assertInstanceOf(W9Result.Valid.class, rules.validate(individual("912-70-1234", null)))
            .type());
    assertEquals(
        TinType.EIN,
        assertInstanceOf(W9Result.Valid.class, rules.validate(business("12-3456789", null)))
            .type());
  }

  @Test
  void stripsDashesAndKeepsNineDigits() {
    assertEquals(
        "123456789",
        assertInstanceOf(W9Result.Valid.class, rules.validate(individual("123-45-6789", "ssn")))
            .digits());
  }

  @Test
  void rejectsATinThatIsNotNineDigits() {
    assertEquals("w9.tin", rejectedField(individual("12345678", null)));
    assertEquals("w9.tin", rejectedField(individual(null, null)));
  }

  @Test
  void rejectsAnSsnBreakingTheAreaRule() {
    var invalid =
        assertInstanceOf(W9Result.Invalid.class, rules.validate(individual("666-12-3456", "ssn")));
    assertEquals("w9.tin", invalid.rejection().field());
    assertTrue(invalid.rejection().message().contains("666"));
  }

  @Test
  void rejectsATypeInconsistentWithTheEntity() {
    assertEquals("w9.tin_type", rejectedField(individual("12-3456789", "ein")));
    assertEquals("w9.tin_type", rejectedField(business("123-45-6789", "ssn")));
    assertEquals("w9.tin_type", rejectedField(individual("123-45-6789", "passport")));
  }

  @Test
  void rejectsAnUnknownEntityTypeAndMissingNames() {
    assertEquals(
        "w9.entity_type",
        rejectedField(new W9("trust", null, null, null, null, "123456789", null, null)));
    assertEquals(
        "w9.last_name",
        rejectedField(new W9("individual", "Ada", null, null, null, "123456789", null, null)));
    assertEquals(
        "w9.business_name",
        rejectedField(new W9("business", null, null, " ", null, "123456789", null, null)));
  }

  @Test
  void rejectsAnIncompleteAddress() {
    var w9 =
        new W9(
            "individual",
            "Ada",
            "Lovelace",
            null,
            null,
            "123456789",
            null,
            new Address("1 Main St", null, "Springfield", "IL", "62701", "usa"));
    assertEquals("w9.address.country", rejectedField(w9));
  }

  @Test
  void exactlyOneFormIsRequired() {
    assertEquals("w9", rules.shape(new SubmitCompliance(null, null)).orElseThrow().field());
    var w8 = new W8Ben("Ada", "GB", null, null, null, null, null, null, "Ada", true);
    assertEquals(
        "w9",
        rules.shape(new SubmitCompliance(individual("123456789", null), w8)).orElseThrow().field());
  }

  @Test
  void aW8BenNeedsCountryAndSignedConsent() {
    assertTrue(
        rules
            .validate(new W8Ben("Ada", "GB", null, "AB123", "GB", "12", "0", null, "Ada", true))
            .isEmpty());
    assertEquals(
        "w8ben.citizenship_country",
        rules
            .validate(new W8Ben("Ada", "Britain", null, null, null, null, null, null, "Ada", true))
            .orElseThrow()
            .field());
    assertEquals(
        "w8ben.signature_consent",
        rules
            .validate(new W8Ben("Ada", "GB", null, null, null, null, null, null, "Ada", false))
            .orElseThrow()
            .field());
  }

  @Test
  void aW9NeverPrintsItsTin() {
    assertTrue(!individual("123456789", null).toString().contains("123456789"));
  }
}
