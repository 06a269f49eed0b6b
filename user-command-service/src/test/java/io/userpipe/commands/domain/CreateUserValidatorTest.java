package io.userpipe.commands.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.userpipe.commands.domain.Command.CreateUser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreateUserValidatorTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

  private final CreateUserValidator validator =
      new CreateUserValidator(new PhoneNormalizer(), CLOCK);

  static CreateUser valid() {
    return new CreateUser(
        "Ada", "Lovelace", "ada@example.com", "1", "2025550173", null, "1990-12-10", Map.of());
  }

  private String rejectedField(CreateUser c) {
    return assertInstanceOf(PhoneNormalizer.Result.Invalid.class, validator.validate(c))
        .rejection()
        .field();
  }

  @Test
  void acceptsAWellFormedUser() {
    assertInstanceOf(PhoneNormalizer.Result.Valid.class, validator.validate(valid()));
  }

  @Test
  void rejectsMissingFirstName() {
    var c = valid();
    assertEquals(
        "first_name",
        rejectedField(
            new CreateUser(
                " ",
                c.lastName(),
                c.email(),
                c.countryCode(),
                c.phoneNumber(),
                null,
                null,
                Map.of())));
  }

  @Test
  void rejectsMalformedEmail() {
    for (String email : new String[] {"ada", "ada@", "@example.com", "ada@example", "a da@x.com"}) {
      var c = valid();
      assertEquals(
          "email",
          rejectedField(
              new CreateUser(
                  c.firstName(), c.lastName(), email, "1", "2025550173", null, null, Map.of())),
          email);
    }
  }

  @Test
  void rejectsDateOfBirthInTheFuture() {
    assertEquals("date_of_birth", rejectedField(withDob("2027-01-01")));
  }

  @Test
  void rejectsDateOfBirthThatIsNotADate() {
    assertEquals("date_of_birth", rejectedField(withDob("1990-02-30")));
    assertEquals("date_of_birth", rejectedField(withDob("10/12/1990")));
  }

  @Test
  void rejectsOversizedMetadata() {
    var metadata = new HashMap<String, String>();
    for (int i = 0; i < 51; i++) {
      metadata.put("k" + i, "v");
    }
    var c = valid();
    assertEquals(
        "metadata",
        rejectedField(
            new CreateUser(
                c.firstName(), c.lastName(), c.email(), "1", "2025550173", null, null, metadata)));
  }

  @Test
  void acceptsDotsStringMetadataAndBoundsIt() {
    var c = valid();
    var asString =
        new CreateUser(
            c.firstName(),
            c.lastName(),
            c.email(),
            "1",
            "2025550173",
            null,
            null,
            Map.of(CreateUserValidator.STRING_METADATA_KEY, "customer 42"));
    assertInstanceOf(PhoneNormalizer.Result.Valid.class, validator.validate(asString));
    assertEquals(
        "metadata",
        rejectedField(
            new CreateUser(
                c.firstName(),
                c.lastName(),
                c.email(),
                "1",
                "2025550173",
                null,
                null,
                Map.of(CreateUserValidator.STRING_METADATA_KEY, "x".repeat(501)))));
  }

  @Test
  void rejectsMetadataValueTooLong() {
    var c = valid();
    assertEquals(
        "metadata.note",
        rejectedField(
            new CreateUser(
                c.firstName(),
                c.lastName(),
                c.email(),
                "1",
                "2025550173",
                null,
                null,
                Map.of("note", "x".repeat(501)))));
  }

  private static CreateUser withDob(String dob) {
    var c = valid();
    return new CreateUser(
        c.firstName(),
        c.lastName(),
        c.email(),
        c.countryCode(),
        c.phoneNumber(),
        null,
        dob,
        Map.of());
  }
}
