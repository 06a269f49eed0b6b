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
    Map<String, String> metadata) {

  public Profile {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
