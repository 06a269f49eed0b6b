package io.userpipe.projections.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A user as the API answers it: Dots' v2 user object, field for field, plus our extensions ({@code
 * username}, {@code date_of_birth}, {@code address}, {@code created}, {@code updated}, {@code
 * payable}, {@code unpayable_reasons}, {@code connection}, {@code compliance.tin_last4}, {@code
 * compliance.flags.ofac_screened_at}). One type per JSON shape: {@code openapi.yaml}'s {@code User}
 * schema describes this record, and the suite validates every answer against it.
 */
record UserBody(
    String id,
    @JsonProperty("first_name") String firstName,
    @JsonProperty("last_name") String lastName,
    String email,
    @JsonProperty("phone_number") PhoneNumber phoneNumber,
    String username,
    @JsonProperty("date_of_birth") String dateOfBirth,
    AddressBody address,
    String status,
    @JsonProperty("default_payout_method") String defaultPayoutMethod,
    @JsonProperty("default_payout_method_details") PayoutMethodBody defaultPayoutMethodDetails,
    Compliance compliance,
    /** A string or an object of strings, as the platform sent it; null when it sent none. */
    Object metadata,
    String created,
    String updated,
    boolean payable,
    @JsonProperty("unpayable_reasons") List<String> unpayableReasons,
    /** Our extension: the last code sent, for the platform it was sent for (CodeDeliveryJson). */
    @JsonProperty("last_code") CodeDeliveryJson.LastCode lastCode,
    @JsonInclude(JsonInclude.Include.NON_NULL) ConnectionBody connection) {

  record PhoneNumber(
      @JsonProperty("country_code") String countryCode,
      @JsonProperty("phone_number") String phoneNumber) {}

  record AddressBody(
      @JsonProperty("line_1") String line1,
      @JsonProperty("line_2") String line2,
      String city,
      String state,
      String postcode,
      String country) {}

  /** Dots' compliance object. Never the TIN: its last four digits at most. */
  record Compliance(
      @JsonProperty("tax_id_collected") boolean taxIdCollected,
      @JsonProperty("tax_id_verification") String taxIdVerification,
      @JsonProperty("address_collected") boolean addressCollected,
      @JsonProperty("date_of_birth_collected") boolean dateOfBirthCollected,
      @JsonProperty("must_collect_1099") boolean mustCollect1099,
      @JsonProperty("1099_collected") boolean collected1099,
      @JsonProperty("w8_ben_collected") boolean w8BenCollected,
      boolean flagged,
      @JsonProperty("id_verified") boolean idVerified,
      @JsonProperty("tin_last4") String tinLast4,
      W9 w9,
      Flags flags) {}

  /**
   * {@code tax_id_verification} is here too: Dots' users guide names {@code
   * compliance.w9.tax_id_verification}, its v2 API reference {@code
   * compliance.tax_id_verification}; both are answered, the same value.
   */
  record W9(
      @JsonProperty("entity_type") String entityType,
      @JsonProperty("tax_id_collected") boolean taxIdCollected,
      @JsonProperty("address_collected") boolean addressCollected,
      @JsonProperty("tax_id_verification") String taxIdVerification) {}

  record Flags(
      boolean ofac,
      @JsonProperty("ofac_status") String ofacStatus,
      @JsonProperty("payout_method") boolean payoutMethod,
      @JsonProperty("ofac_screened_at") String ofacScreenedAt) {}

  /**
   * Our extension: whether the person confirmed this platform ({@code pending}, {@code connected}).
   */
  record ConnectionBody(String status) {}
}
