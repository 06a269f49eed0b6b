package io.userpipe.client;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.schemas.Address;
import io.userpipe.schemas.SubmitCompliance;
import io.userpipe.schemas.W9Submission;

/**
 * A W-9 (US persons): the TIN to verify, sealed under the active edge key and bound to this
 * command's id before it leaves the process; it never travels in the clear.
 */
public final class W9Command extends UserCommandBuilder<W9Command> {

  private String entityType;
  private String firstName;
  private String lastName;
  private String businessName;
  private String dateOfBirth;
  private String tin;
  private String tinType;
  private Address address;

  W9Command(String userId) {
    super(userId);
  }

  /** {@code individual} or {@code business}. */
  public W9Command entityType(String entityType) {
    this.entityType = entityType;
    return this;
  }

  public W9Command firstName(String firstName) {
    this.firstName = firstName;
    return this;
  }

  public W9Command lastName(String lastName) {
    this.lastName = lastName;
    return this;
  }

  public W9Command businessName(String businessName) {
    this.businessName = businessName;
    return this;
  }

  public W9Command dateOfBirth(String dateOfBirth) {
    this.dateOfBirth = dateOfBirth;
    return this;
  }

  /** Nine digits; sealed when the command is sent. */
  public W9Command tin(String tin) {
    this.tin = tin;
    return this;
  }

  /** {@code ssn}, {@code ein} or {@code itin}; inferred when not set. */
  public W9Command tinType(String tinType) {
    this.tinType = tinType;
    return this;
  }

  public W9Command address(Address address) {
    this.address = address;
    return this;
  }

  @Override
  Object payload(String commandId, CommandSecrets secrets) {
    var form =
        new W9Submission(
            required(entityType, "entity_type"),
            firstName,
            lastName,
            businessName,
            dateOfBirth,
            sealer(secrets).sealTin(commandId, required(tin, "tin")),
            tinType,
            address);
    return new SubmitCompliance(form, null);
  }
}
