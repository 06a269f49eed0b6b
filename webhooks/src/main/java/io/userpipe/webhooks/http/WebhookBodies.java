package io.userpipe.webhooks.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.userpipe.schemas.WebhookEndpoint;
import io.userpipe.schemas.WebhookEndpointStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The answers of {@code /v2/webhooks}, one record per JSON shape (openapi.yaml, "Webhook*"). */
final class WebhookBodies {

  private WebhookBodies() {}

  /** An endpoint as its platform sees it: never its secret. */
  record Endpoint(
      String id,
      String url,
      @JsonProperty("event_types") List<String> eventTypes,
      String status,
      @JsonProperty("disabled_reason") String disabledReason,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("updated_at") Instant updatedAt) {

    static Endpoint of(WebhookEndpoint e) {
      return new Endpoint(
          e.getEndpointId(),
          e.getUrl(),
          List.copyOf(e.getEventTypes()),
          WebhookBodies.status(e.getStatus()),
          e.getDisabledReason(),
          e.getCreatedAt(),
          e.getChangedAt());
    }
  }

  /** A new endpoint, with its secret: the only answer that ever shows it. */
  record Created(
      String id,
      String url,
      @JsonProperty("event_types") List<String> eventTypes,
      String status,
      @JsonProperty("created_at") Instant createdAt,
      String secret) {}

  record EndpointList(List<Endpoint> data) {}

  /** A rotation: the new secret, and until when the previous one still signs beside it. */
  record Rotated(
      String id,
      String secret,
      @JsonProperty("previous_secret_expires_at") Instant previousSecretExpiresAt) {}

  record Deleted(String id, boolean deleted) {}

  /** What the test event came to. */
  record TestResult(
      @JsonProperty("webhook_id") String webhookId,
      boolean delivered,
      @JsonProperty("http_status") Integer httpStatus,
      String error) {}

  /** An event the endpoint has not received yet. */
  record FailedEvent(
      @JsonProperty("event_id") String eventId,
      @JsonProperty("user_id") String userId,
      String type,
      @JsonProperty("occurred_at") Instant occurredAt,
      @JsonProperty("failed_attempts") int failedAttempts,
      @JsonProperty("gave_up_at") Instant gaveUpAt) {}

  record FailedList(List<FailedEvent> data, @JsonProperty("has_more") boolean hasMore) {}

  record Replay(
      String id, String status, @JsonProperty("replay_requested_at") Instant replayRequestedAt) {}

  static String status(WebhookEndpointStatus status) {
    return status.name().toLowerCase(Locale.ROOT);
  }
}
