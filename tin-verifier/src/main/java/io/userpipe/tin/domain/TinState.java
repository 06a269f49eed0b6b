package io.userpipe.tin.domain;

import io.userpipe.schemas.vocabulary.TinStatus;
import java.time.Instant;

/**
 * A user's current TIN submission as the state machine knows it: pending (with its attempt and when
 * to ask again) or decided. The sealed check for re-asking is the processor's business, not the
 * rules'.
 *
 * @param nextCheckAt when to ask the provider again if nothing arrives; null once decided
 */
public record TinState(
    String submissionId,
    String userId,
    String status,
    int attempt,
    Instant submittedAt,
    Instant nextCheckAt) {

  public boolean pending() {
    return TinStatus.PENDING.equals(status);
  }
}
