package io.userpipe.client;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.schemas.Address;
import io.userpipe.schemas.SubmitCompliance;
import io.userpipe.schemas.W8BenSubmission;

/**
 * A W-8BEN (foreign payees). A foreign tax id, when given, is sealed under the active edge key and
 * bound to this command's id, like a TIN.
 */
public final class W8BenCommand extends UserCommandBuilder<W8BenCommand> {

  private String name;
  private String citizenshipCountry;
  private String dateOfBirth;
  private String foreignTaxId;
  private String treatyCountry;
  private String treatyArticle;
  private String withholdingRate;
  private Address address;
  private String signatureName;
  private boolean signatureConsent;

  W8BenCommand(String userId) {
    super(userId);
  }

  public W8BenCommand name(String name) {
    this.name = name;
    return this;
  }

  /** ISO 3166-1 alpha-2. */
  public W8BenCommand citizenshipCountry(String country) {
    this.citizenshipCountry = country;
    return this;
  }

  public W8BenCommand dateOfBirth(String dateOfBirth) {
    this.dateOfBirth = dateOfBirth;
    return this;
  }

  /** Sealed when the command is sent. */
  public W8BenCommand foreignTaxId(String foreignTaxId) {
    this.foreignTaxId = foreignTaxId;
    return this;
  }

  public W8BenCommand treaty(String country, String article, String withholdingRate) {
    this.treatyCountry = country;
    this.treatyArticle = article;
    this.withholdingRate = withholdingRate;
    return this;
  }

  public W8BenCommand address(Address address) {
    this.address = address;
    return this;
  }

  /** The name signed and whether the person consented to sign electronically. */
  public W8BenCommand signature(String signatureName, boolean consent) {
    this.signatureName = signatureName;
    this.signatureConsent = consent;
    return this;
  }

  @Override
  Object payload(String commandId, CommandSecrets secrets) {
    var form =
        new W8BenSubmission(
            required(name, "name"),
            required(citizenshipCountry, "citizenship_country"),
            dateOfBirth,
            foreignTaxId == null ? null : sealer(secrets).sealForeignTaxId(commandId, foreignTaxId),
            treatyCountry,
            treatyArticle,
            withholdingRate,
            address,
            required(signatureName, "signature_name"),
            signatureConsent);
    return new SubmitCompliance(null, form);
  }
}
