package io.userpipe.commands.domain;

import java.util.Map;

/** What a platform asks of a user. Decided by {@link UserDecider}. */
public sealed interface Command {

  /**
   * Create a user; or, when the phone number is a user's already, ask to connect the platform to
   * that person (pending until the person confirms with a code).
   */
  record CreateUser(
      String firstName,
      String lastName,
      String email,
      String countryCode,
      String phoneNumber,
      String username,
      String dateOfBirth,
      Map<String, String> metadata)
      implements Command {
    public CreateUser {
      metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
  }

  /**
   * Change mutable fields; a null field stays as it is. {@code defaultPayoutMethod} names one of
   * the user's payout methods.
   */
  record UpdateUser(
      String firstName,
      String lastName,
      String email,
      String dateOfBirth,
      Map<String, String> metadata,
      String defaultPayoutMethod)
      implements Command {
    public UpdateUser(
        String firstName,
        String lastName,
        String email,
        String dateOfBirth,
        Map<String, String> metadata) {
      this(firstName, lastName, email, dateOfBirth, metadata, null);
    }
  }

  /** Add a way to pay the user; its id comes from the command. */
  record AddPayoutMethod(PayoutDetails details) implements Command {}

  /** Remove one of the user's payout methods. */
  record RemovePayoutMethod(String payoutMethodId) implements Command {}

  /**
   * The platform leaves the user: the others keep it; when the last connected platform leaves, the
   * person's data is erased (unless a sanctions finding holds it).
   */
  record DeleteUser() implements Command {}

  /**
   * An operator erases the person whatever platforms are connected; refused while the person's OFAC
   * status is not unflagged. Only the admin door sends it.
   */
  record EraseUser(String operator, String reason) implements Command {}

  /**
   * An operator re-wraps the user's key under the active data key (key rotation: {@code
   * bin/rotate-keys}), so that an older data key can be retired. Decided in the user's own task, so
   * it never follows the user's deletion and revives a shredded key.
   */
  record RewrapUserKey(String operator) implements Command {}

  /** Send a fresh one-time code to the user's phone. */
  record SendVerificationToken() implements Command {}

  /** Prove the phone with the code the user received. */
  record VerifyUser(String code) implements Command {}

  /** Tax forms: a W-9 (with a TIN to verify) or a W-8BEN; exactly one of them. */
  record SubmitCompliance(W9 w9, W8Ben w8ben) implements Command {}

  /** A W-9. {@code tin} is the plaintext TIN, held in memory only; null when unreadable. */
  record W9(
      String entityType,
      String firstName,
      String lastName,
      String businessName,
      String dateOfBirth,
      String tin,
      String tinType,
      Address address) {
    @Override
    public String toString() {
      return "W9[entityType=" + entityType + ", tin=<sealed>]"; // never print a TIN
    }
  }

  /** A W-8BEN for a foreign payee. */
  record W8Ben(
      String name,
      String citizenshipCountry,
      String dateOfBirth,
      String foreignTaxId,
      String treatyCountry,
      String treatyArticle,
      String withholdingRate,
      Address address,
      String signatureName,
      boolean signatureConsent) {
    @Override
    public String toString() {
      return "W8Ben[" + citizenshipCountry + ", foreignTaxId=<sealed>]"; // never print a tax id
    }
  }

  record Address(
      String line1, String line2, String city, String state, String postcode, String country) {}
}
