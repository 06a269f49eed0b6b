package io.userpipe.commands.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user aggregate: everything the decider needs to know about one person.
 *
 * @param connections each platform's connection, in the order they came (the creator first)
 * @param erasureHeld the last connected platform left while the person's OFAC status was not
 *     unflagged: the data is kept until an operator erases it
 */
public record User(
    String id,
    long version,
    Map<String, Connection> connections,
    Profile profile,
    boolean verified,
    boolean deleted,
    boolean erasureHeld,
    PendingCode pendingCode,
    List<Instant> codeSends,
    Instant created,
    List<PayoutMethod> payoutMethods,
    String defaultPayoutMethod) {

  public User {
    connections = Collections.unmodifiableMap(new LinkedHashMap<>(connections));
    codeSends = List.copyOf(codeSends);
    payoutMethods = List.copyOf(payoutMethods);
  }

  /** The platform's connection, pending or connected; empty when it has none. */
  public Optional<Connection> connection(String platformId) {
    return Optional.ofNullable(connections.get(platformId));
  }

  /** Connected (the person confirmed, or the platform created the user). */
  public boolean isConnectedTo(String platformId) {
    return connection(platformId).filter(c -> !c.pending()).isPresent();
  }

  /** Is any platform but this one connected? */
  boolean connectedToAnotherThan(String platformId) {
    return connections.entrySet().stream()
        .anyMatch(e -> !e.getKey().equals(platformId) && !e.getValue().pending());
  }

  public Optional<PayoutMethod> payoutMethod(String payoutMethodId) {
    return payoutMethods.stream().filter(m -> m.id().equals(payoutMethodId)).findFirst();
  }

  User next() {
    return new User(
        id,
        version + 1,
        connections,
        profile,
        verified,
        deleted,
        erasureHeld,
        pendingCode,
        codeSends,
        created,
        payoutMethods,
        defaultPayoutMethod);
  }

  User withConnections(Map<String, Connection> newConnections, PendingCode code) {
    return new User(
        id,
        version,
        newConnections,
        profile,
        verified,
        deleted,
        erasureHeld,
        code,
        codeSends,
        created,
        payoutMethods,
        defaultPayoutMethod);
  }

  User withProfile(Profile newProfile) {
    return new User(
        id,
        version,
        connections,
        newProfile,
        verified,
        deleted,
        erasureHeld,
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
        connections,
        profile,
        newVerified,
        deleted,
        erasureHeld,
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
        connections,
        profile,
        verified,
        deleted,
        erasureHeld,
        pendingCode,
        codeSends,
        created,
        methods,
        defaultMethod);
  }

  User withErasureHeld(boolean held) {
    return new User(
        id,
        version,
        connections,
        profile,
        verified,
        deleted,
        held,
        pendingCode,
        codeSends,
        created,
        payoutMethods,
        defaultPayoutMethod);
  }

  /** Erased: no personal data, no connection (their metadata goes with them). */
  User asDeleted() {
    return new User(
        id, version, Map.of(), null, false, true, false, null, List.of(), created, List.of(), null);
  }
}
