package io.userpipe.webhooks.domain;

import java.net.URI;
import java.time.Instant;
import java.util.Set;

/**
 * A platform's webhook endpoint as the delivery rules see it (mapped from {@code
 * webhooks.endpoints} at the edge): whose it is, where it posts, what it hears, whether it is
 * enabled, and the platform's latest replay request.
 */
public record Endpoint(
    String id,
    String platformId,
    URI url,
    Set<String> eventTypes,
    boolean enabled,
    Instant replayRequestedAt) {

  public Endpoint {
    eventTypes = Set.copyOf(eventTypes);
  }

  /** Whether an event of {@code type} is to be queued for it now. */
  public boolean receives(String type) {
    return enabled && eventTypes.contains(type);
  }
}
