package io.userpipe.projections.http;

import io.userpipe.schemas.Connection;
import io.userpipe.schemas.LastCodeDelivery;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The user's {@code last_code}: when the last one-time code was sent and its {@code delivery}
 * (status, the provider's error code, when it was last heard of). Only the platform the code was
 * sent for sees it, and operators; for any other platform it is null, since a code sent on another
 * platform's behalf would reveal that platform's business with the person. Never the code.
 */
final class CodeDeliveryJson {

  private CodeDeliveryJson() {}

  /**
   * @param connection the reading platform's connection; null for an operator
   */
  static Map<String, Object> render(LastCodeDelivery last, Connection connection) {
    if (last == null
        || (connection != null && !connection.getPlatformId().equals(last.getPlatformId()))) {
      return null;
    }
    var delivery = new LinkedHashMap<String, Object>();
    delivery.put("status", last.getStatus());
    delivery.put("error_code", last.getErrorCode());
    delivery.put("updated_at", last.getUpdatedAt().toString());
    var json = new LinkedHashMap<String, Object>();
    json.put("sent_at", last.getSentAt().toString());
    json.put("delivery", delivery);
    return json;
  }
}
