package io.userpipe.commands.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
    Instant created,
    List<PayoutMethod> payoutMethods,
    String defaultPayoutMethod) {

  public User {
    platforms = List.copyOf(platforms);
    codeSends = List.copyOf(codeSends);
    payoutMethods = List.copyOf(payoutMethods);
  }

  public boolean isConnectedTo(String platformId) {
    return platforms.contains(platformId);
  }

  public Optional<PayoutMethod> payoutMethod(String payoutMethodId) {
    return payoutMethods.stream().filter(m -> m.id().equals(payoutMethodId)).findFirst();
  }

  User next() {
    return new User(
        id,
        version + 1,
        platforms,
        profile,
        verified,
        deleted,
        pendingCode,
        codeSends,
        created,
        payoutMethods,
        defaultPayoutMethod);
  }

  User withPlatforms(List<String> newPlatforms) {
    return new User(
        id,
        version,
        newPlatforms,
        profile,
        verified,
        deleted,
        pendingCode,
        codeSends,
        created,
        payoutMethods,
        defaultPayoutMethod);
  }

  User withProfile(Profile newProfile) {
    return new User(
        id,
        version,
        platforms,
        newProfile,
        verified,
        deleted,
        pendingCode,
        codeSends,
        created,
        payoutMethods,
        defaultPayoutMethod);
  }

  User withVerification(boolean newVerified, PendingCode code, List<Instant> sends) {
    return new User(
        id,
        version,
        platforms,
        profile,
        newVerified,
        deleted,
        code,
        sends,
        created,
        payoutMethods,
        defaultPayoutMethod);
  }

  User withPayoutMethods(List<PayoutMethod> methods, String defaultMethod) {
    return new User(
        id,
        version,
        platforms,
        profile,
        verified,
        deleted,
        pendingCode,
        codeSends,
        created,
        methods,
        defaultMethod);
  }

  User asDeleted() {
    return new User(
        id, version, platforms, null, false, true, null, List.of(), created, List.of(), null);
  }
}
