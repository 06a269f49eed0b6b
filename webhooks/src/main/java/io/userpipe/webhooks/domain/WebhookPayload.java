package io.userpipe.webhooks.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;

/**
 * The body a platform receives (Standard Webhooks' recommended shape: {@code type}, {@code
 * timestamp}, {@code data}): the event's type and id, the person's id, the previous and new status,
 * when it happened. Never a TIN, a code, a reason or evidence, nor the causing platform's id: a
 * platform learns details from the API, as its connection allows.
 */
public final class WebhookPayload {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WebhookPayload() {}

  public static byte[] of(ComplianceChange change) {
    var data = new LinkedHashMap<String, Object>();
    data.put("event_id", change.eventId());
    data.put("user_id", change.userId());
    data.put("previous_status", change.previousStatus());
    data.put("new_status", change.newStatus());
    data.put("occurred_at", change.occurredAt().toString());
    var body = new LinkedHashMap<String, Object>();
    body.put("type", change.type());
    body.put("timestamp", change.occurredAt().toString());
    body.put("data", data);
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
