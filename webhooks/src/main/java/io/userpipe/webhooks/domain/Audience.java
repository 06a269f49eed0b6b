package io.userpipe.webhooks.domain;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may hear of a compliance event: a pure decider over one person's confirmed connections,
 * folded from the same events ({@code user_created} connects the creator, {@code user_connected}
 * the platform the person confirmed, {@code user_disconnected} and {@code user_deleted} end them).
 * Pending platforms are never in it: {@code user_connected} comes when the person confirms, not
 * when a platform asks.
 *
 * <ul>
 *   <li>A change of the person's own status ({@code user_verified}, {@code tin_status_changed},
 *       {@code w8ben_collected}, {@code ofac_status_changed}, {@code user_deleted}) goes to every
 *       platform connected when it happened.
 *   <li>An event about one platform's relation or data ({@code user_created}, {@code
 *       user_connected}, {@code user_disconnected}, the payout-method events) goes to that platform
 *       alone, if connected: another platform never learns who else the person is connected to.
 *   <li>A type this version does not know goes to nobody: it may reveal what it should not.
 * </ul>
 */
public final class Audience {

  /** One person's confirmed connections. */
  public record State(Set<String> connected) {
    public static final State NONE = new State(Set.of());

    public State {
      connected = Set.copyOf(connected);
    }
  }

  static final Set<String> PERSONS_STATUS =
      Set.of(
          "user_verified",
          "tin_status_changed",
          "w8ben_collected",
          "ofac_status_changed",
          "user_deleted");

  static final Set<String> PLATFORMS_OWN =
      Set.of(
          "user_created",
          "user_connected",
          "user_disconnected",
          "payout_method_added",
          "payout_method_removed",
          "default_payout_method_changed");

  private Audience() {}

  /** Every type a platform may subscribe to. */
  public static Set<String> knownTypes() {
    var all = new TreeSet<String>(PERSONS_STATUS);
    all.addAll(PLATFORMS_OWN);
    return Set.copyOf(all);
  }

  /** The platforms that receive {@code change}, in a stable order. */
  public static List<String> decide(State state, ComplianceChange change) {
    State reachable = evolveConnect(state, change);
    if (PERSONS_STATUS.contains(change.type())) {
      return List.copyOf(new TreeSet<>(reachable.connected()));
    }
    if (PLATFORMS_OWN.contains(change.type())
        && change.platformId() != null
        && reachable.connected().contains(change.platformId())) {
      return List.of(change.platformId());
    }
    return List.of();
  }

  /** The connections after {@code change}. */
  public static State evolve(State state, ComplianceChange change) {
    State connected = evolveConnect(state, change);
    return switch (change.type()) {
      case "user_disconnected" -> without(connected, change.platformId());
      case "user_deleted" -> State.NONE;
      default -> connected;
    };
  }

  /** A creation or a confirmation connects before the event is delivered, so it reaches its own. */
  private static State evolveConnect(State state, ComplianceChange change) {
    boolean connects =
        change.type().equals("user_created") || change.type().equals("user_connected");
    if (!connects || change.platformId() == null) {
      return state;
    }
    var platforms = new TreeSet<>(state.connected());
    platforms.add(change.platformId());
    return new State(platforms);
  }

  private static State without(State state, String platform) {
    var platforms = new TreeSet<>(state.connected());
    platforms.remove(platform);
    return new State(platforms);
  }
}
