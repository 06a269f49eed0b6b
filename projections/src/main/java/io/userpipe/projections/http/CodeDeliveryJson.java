package io.userpipe.projections.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.userpipe.schemas.Connection;
import io.userpipe.schemas.LastCodeDelivery;

/**
 * The user's {@code last_code}: when the last one-time code was sent and its {@code delivery}
 * (status, the provider's error code, when it was last heard of). Only the platform the code was
 * sent for sees it, and operators; for any other platform it is null, since a code sent on another
 * platform's behalf would reveal that platform's business with the person. Never the code.
 */
final class CodeDeliveryJson {

  private CodeDeliveryJson() {}

  /** The {@code last_code} answer. */
  record LastCode(@JsonProperty("sent_at") String sentAt, Delivery delivery) {}

  /** What became of it: status, the provider's error code, when it was last heard of. */
  record Delivery(
      String status,
      @JsonProperty("error_code") String errorCode,
      @JsonProperty("updated_at") String updatedAt) {}

  /**
   * @param connection the reading platform's connection; null for an operator
   */
  static LastCode render(LastCodeDelivery last, Connection connection) {
    if (last == null
        || (connection != null && !connection.getPlatformId().equals(last.getPlatformId()))) {
      return null;
    }
    return new LastCode(
        last.getSentAt().toString(),
        new Delivery(last.getStatus(), last.getErrorCode(), last.getUpdatedAt().toString()));
  }
}
