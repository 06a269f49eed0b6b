package io.userpipe.commands.domain;

import java.time.Instant;

/**
 * The one-time code a user may still enter, as its keyed hash, and the platform it was issued for:
 * only that platform may verify it ({@code null}: issued before codes were bound, for any connected
 * platform).
 */
public record PendingCode(
    byte[] codeHash, Instant expiresAt, int attempts, boolean locked, String platformId) {

  /** May this platform enter the code? A code never confirms a platform it was not sent for. */
  boolean issuedFor(String platform, Connection connection) {
    return platformId == null ? !connection.pending() : platformId.equals(platform);
  }
}
