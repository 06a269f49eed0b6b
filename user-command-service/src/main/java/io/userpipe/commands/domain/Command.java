package io.userpipe.commands.domain;

import java.util.Map;

/** What a platform asks of a user. Decided by {@link UserDecider}. */
public sealed interface Command {

  /** Create a user, or connect the existing user with this phone number to the platform. */
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

  /** Change mutable fields; a null field stays as it is. */
  record UpdateUser(
      String firstName,
      String lastName,
      String email,
      String dateOfBirth,
      Map<String, String> metadata)
      implements Command {}

  /** Delete the user and erase its personal data. */
  record DeleteUser() implements Command {}

  /** Send a fresh one-time code to the user's phone. */
  record SendVerificationToken() implements Command {}

  /** Prove the phone with the code the user received. */
  record VerifyUser(String code) implements Command {}
}
