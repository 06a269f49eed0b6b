package io.userpipe.commands.domain;

import java.time.Instant;
import java.util.List;

/** The user aggregate: everything the decider needs to know about one user. */
public record User(
    String id,
    long version,
    List<String> platforms,
    Profile profile,
    boolean verified,
    boolean deleted,
    PendingCode pendingCode,
    List<Instant> codeSends,
    Instant created) {

  public User {
    platforms = List.copyOf(platforms);
    codeSends = List.copyOf(codeSends);
  }

  public boolean isConnectedTo(String platformId) {
    return platforms.contains(platformId);
  }

  User next() {
    return new User(
        id, version + 1, platforms, profile, verified, deleted, pendingCode, codeSends, created);
  }

  User withPlatforms(List<String> newPlatforms) {
    return new User(
        id, version, newPlatforms, profile, verified, deleted, pendingCode, codeSends, created);
  }

  User withProfile(Profile newProfile) {
    return new User(
        id, version, platforms, newProfile, verified, deleted, pendingCode, codeSends, created);
  }

  User withVerification(boolean newVerified, PendingCode code, List<Instant> sends) {
    return new User(id, version, platforms, profile, newVerified, deleted, code, sends, created);
  }

  User asDeleted() {
    return new User(id, version, platforms, null, false, true, null, List.of(), created);
  }
}
