package io.userpipe.tin.provider;

import java.time.Instant;

/**
 * One question to a TIN-matching provider. {@code name} is "First Last" for individuals or the
 * business name. {@code toString} never shows the TIN.
 */
public record TinMatchRequest(
    String requestId,
    TinType type,
    String tin,
    String name,
    boolean business,
    Instant submittedAt) {

  @Override
  public String toString() {
    return "TinMatchRequest[" + requestId + ", " + type + "]";
  }
}
