package io.userpipe.projections.rebuild;

import java.util.Locale;
import java.util.Optional;

/**
 * Closed while a rebuild's replay has not reached its marks: the views are then incomplete, and the
 * API answers 503 with Retry-After rather than a 404 for a user not yet replayed.
 */
public final class ReplayGate {

  private volatile boolean closed;
  private volatile double percent;

  private ReplayGate(boolean closed) {
    this.closed = closed;
  }

  /** A gate that never closes: no rebuild, or a test that does not rebuild. */
  public static ReplayGate open() {
    return new ReplayGate(false);
  }

  /** Closed until the first measure of {@code replay}'s progress says it is complete. */
  public static ReplayGate forReplay(ReplayBoundary replay) {
    return new ReplayGate(!replay.isNone());
  }

  void update(ReplayProgress.Snapshot snapshot) {
    percent = snapshot.percent();
    closed = !snapshot.complete();
  }

  /** Why the views cannot answer now, if they cannot. */
  public Optional<String> closedBecause() {
    return closed
        ? Optional.of(
            String.format(Locale.ROOT, "the views are being rebuilt (%.1f%% replayed)", percent))
        : Optional.empty();
  }
}
