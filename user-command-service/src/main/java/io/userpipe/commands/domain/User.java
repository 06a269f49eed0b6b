package io.userpipe.commands.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The user aggregate: everything the decider needs to know about one user. */
public record User(
    String id,
    long version,
    List<String> platforms,
    String firstName,
    String lastName,
    String email,
    Phone phone,
    String username,
    String dateOfBirth,
    Map<String, String> metadata,
    boolean verified,
    boolean deleted,
    Instant created) {

  public User {
    platforms = List.copyOf(platforms);
    metadata = Map.copyOf(metadata);
  }

  public boolean isConnectedTo(String platformId) {
    return platforms.contains(platformId);
  }
}
