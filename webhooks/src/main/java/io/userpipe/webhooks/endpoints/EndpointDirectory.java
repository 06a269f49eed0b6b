package io.userpipe.webhooks.endpoints;

import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.WebhookEndpoint;
import io.userpipe.schemas.WebhookEndpointStatus;
import io.userpipe.schemas.WebhookSecret;
import io.userpipe.webhooks.domain.Endpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every endpoint as last read from {@code webhooks.endpoints} (by a {@code CompactedTopicFollower},
 * and by the API right after it writes one): what the topology queues for, what the worker signs
 * with, what the API lists. Thread-safe; the secrets stay sealed here until a delivery needs them.
 */
public final class EndpointDirectory {

  private final ConcurrentHashMap<String, WebhookEndpoint> byId = new ConcurrentHashMap<>();
  private final DataKeys dataKeys;

  public EndpointDirectory(DataKeys dataKeys) {
    this.dataKeys = dataKeys;
  }

  /** The associated data every secret of an endpoint is sealed under. */
  public static String secretContext(String endpointId) {
    return "webhook-secret:" + endpointId;
  }

  /** Applies one record of the topic: a value, or a tombstone ({@code null}) that deletes. */
  public void apply(String endpointId, WebhookEndpoint value) {
    if (value == null) {
      byId.remove(endpointId);
    } else {
      byId.put(endpointId, value);
    }
  }

  public Optional<WebhookEndpoint> record(String endpointId) {
    return Optional.ofNullable(byId.get(endpointId));
  }

  public Optional<Endpoint> find(String endpointId) {
    return record(endpointId).map(EndpointDirectory::toDomain);
  }

  /** A platform's endpoints, oldest first. */
  public List<WebhookEndpoint> recordsOf(String platformId) {
    return byId.values().stream()
        .filter(e -> e.getPlatformId().equals(platformId))
        .sorted(
            Comparator.comparing(WebhookEndpoint::getCreatedAt)
                .thenComparing(WebhookEndpoint::getEndpointId))
        .toList();
  }

  public List<Endpoint> ofPlatform(String platformId) {
    return recordsOf(platformId).stream().map(EndpointDirectory::toDomain).toList();
  }

  public List<Endpoint> all() {
    return byId.values().stream().map(EndpointDirectory::toDomain).toList();
  }

  /** The secrets that sign at {@code now}: the current one and any not yet expired. */
  public List<String> signingSecrets(WebhookEndpoint endpoint, Instant now) {
    return endpoint.getSecrets().stream()
        .filter(s -> s.getExpiresAt() == null || s.getExpiresAt().isAfter(now))
        .map(s -> open(endpoint.getEndpointId(), s.getSecret()))
        .toList();
  }

  public EncryptedValue seal(String endpointId, String secret) {
    return dataKeys.seal(secret.getBytes(StandardCharsets.UTF_8), secretContext(endpointId));
  }

  private String open(String endpointId, EncryptedValue sealed) {
    return new String(dataKeys.open(sealed, secretContext(endpointId)), StandardCharsets.UTF_8);
  }

  /**
   * The secrets after a rotation at {@code now}: the new one first (no expiry), the one it replaces
   * signing beside it until {@code now + grace}, older ones while they have not expired.
   */
  public static List<WebhookSecret> rotated(
      List<WebhookSecret> before, EncryptedValue next, Instant now, java.time.Duration grace) {
    var secrets = new java.util.ArrayList<WebhookSecret>();
    secrets.add(new WebhookSecret(next, null));
    for (WebhookSecret s : before) {
      if (s.getExpiresAt() == null) {
        secrets.add(new WebhookSecret(s.getSecret(), now.plus(grace)));
      } else if (s.getExpiresAt().isAfter(now)) {
        secrets.add(s);
      }
    }
    return secrets;
  }

  static Endpoint toDomain(WebhookEndpoint e) {
    return new Endpoint(
        e.getEndpointId(),
        e.getPlatformId(),
        URI.create(e.getUrl()),
        new HashSet<>(e.getEventTypes()),
        e.getStatus() == WebhookEndpointStatus.ENABLED,
        e.getCreatedAt(),
        e.getReplayRequestedAt());
  }
}
