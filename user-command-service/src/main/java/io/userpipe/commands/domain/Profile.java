package io.userpipe.commands.domain;

import java.util.Map;

/** A user's personal data. Outside this service's memory it only ever exists sealed. */
public record Profile(
    String firstName,
    String lastName,
    String email,
    Phone phone,
    String username,
    String dateOfBirth,
    Map<String, String> metadata,
    Command.Address address) {

  public Profile {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  public Profile(
      String firstName,
      String lastName,
      String email,
      Phone phone,
      String username,
      String dateOfBirth,
      Map<String, String> metadata) {
    this(firstName, lastName, email, phone, username, dateOfBirth, metadata, null);
  }

  /** The same profile at another address (that of a tax form). */
  public Profile withAddress(Command.Address newAddress) {
    return new Profile(
        firstName, lastName, email, phone, username, dateOfBirth, metadata, newAddress);
  }
}
