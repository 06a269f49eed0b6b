package io.userpipe.projections.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The small answers of the platform API, one record per JSON shape. */
final class ApiBodies {

  private ApiBodies() {}

  /** A page of users: Dots' list shape. */
  record UserPage(List<UserBody> data, @JsonProperty("has_more") boolean hasMore) {}

  /** A removed payout method (our route; Dots' reference has no delete of a user's method). */
  record Deleted(String id, boolean deleted) {}

  /** An operator's erasure. */
  record Erased(String id, boolean erased) {}

  /** {@code POST /send-verification-token}'s answer. */
  record TokenSent(String id, String message) {}

  /** A write that outlived the server's wait (202): where to poll. */
  record CommandPending(
      @JsonProperty("command_id") String commandId,
      String status,
      @JsonProperty("status_url") String statusUrl) {}

  /** A decided command, as {@code GET /v2/commands/{id}} answers it. */
  record CommandStatus(
      @JsonProperty("command_id") String commandId,
      String type,
      String status,
      @JsonProperty("user_id") String userId,
      @JsonProperty("decided_at") String decidedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) Object error) {}
}
