package io.userpipe.webhooks.domain;

import java.net.URI;
import java.time.Instant;
import java.util.Set;

/**
 * A platform's webhook endpoint as the delivery rules see it (mapped from {@code
 * webhooks.endpoints} at the edge): whose it is, where it posts, what it hears, whether it is
 * enabled, when it was registered, and the platform's latest replay request.
 */
public record Endpoint(
    String id,
    String platformId,
    URI url,
    Set<String> eventTypes,
    boolean enabled,
    Instant createdAt,
    Instant replayRequestedAt) {

  public Endpoint {
    eventTypes = Set.copyOf(eventTypes);
  }

  /**
   * Whether an event of {@code type} that occurred at {@code occurredAt} is to be queued for it
   * now: never one from before the endpoint existed (an instance catching up with {@code
   * compliance.events} reads old events after the endpoint was registered).
   */
  public boolean receives(String type, Instant occurredAt) {
    return enabled && eventTypes.contains(type) && !occurredAt.isBefore(createdAt);
  }
}
