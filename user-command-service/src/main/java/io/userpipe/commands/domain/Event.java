package io.userpipe.commands.domain;

import java.util.Map;

/** A fact about one user. */
public sealed interface Event {

  record UserCreated(
      String firstName,
      String lastName,
      String email,
      Phone phone,
      String username,
      String dateOfBirth,
      Map<String, String> metadata)
      implements Event {
    public UserCreated {
      metadata = Map.copyOf(metadata);
    }
  }

  /** An existing user was connected to one more platform (same phone number). */
  record PlatformConnected() implements Event {}
}
