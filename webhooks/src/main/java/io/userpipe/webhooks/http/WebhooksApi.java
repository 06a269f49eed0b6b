package io.userpipe.webhooks.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.FieldError;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.WebhookEndpoint;
import io.userpipe.schemas.WebhookEndpointStatus;
import io.userpipe.schemas.WebhookSecret;
import io.userpipe.schemas.vocabulary.RejectionCode;
import io.userpipe.webhooks.delivery.AddressGuard;
import io.userpipe.webhooks.domain.Audience;
import io.userpipe.webhooks.domain.ComplianceChange;
import io.userpipe.webhooks.domain.WebhookPayload;
import io.userpipe.webhooks.endpoints.EndpointDirectory;
import io.userpipe.webhooks.endpoints.EndpointWriter;
import io.userpipe.webhooks.signing.WebhookSigner;
import io.userpipe.webhooks.topology.UndeliveredEvents;
import io.userpipe.webhooks.worker.DeliveryWorker;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * {@code /v2/webhooks}: a platform registers, lists, changes and deletes its endpoints, rotates an
 * endpoint's secret, sends it a test event, lists what it has not received and replays it. Every
 * route is the calling platform's own: another platform's endpoint is a 404, as one that does not
 * exist. Every input is bounded, and a refusal names the field and the limit.
 */
public final class WebhooksApi {

  /** At most this many endpoints per platform. */
  public static final int MAX_ENDPOINTS = 10;

  public static final int MAX_URL_CHARS = 2048;

  public static final int MAX_FAILED_LISTED = 100;

  /** How long a rotated-out secret still signs beside the new one. */
  public static final Duration ROTATION_GRACE = Duration.ofHours(24);

  private final PlatformDirectory platforms;
  private final EndpointDirectory endpoints;
  private final EndpointWriter writer;
  private final AddressGuard guard;
  private final DeliveryWorker worker;
  private final UndeliveredEvents undelivered;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  public WebhooksApi(
      PlatformDirectory platforms,
      EndpointDirectory endpoints,
      EndpointWriter writer,
      AddressGuard guard,
      DeliveryWorker worker,
      UndeliveredEvents undelivered,
      Clock clock) {
    this.platforms = platforms;
    this.endpoints = endpoints;
    this.writer = writer;
    this.guard = guard;
    this.worker = worker;
    this.undelivered = undelivered;
    this.clock = clock;
  }

  public void mount(HttpService http) {
    http.route("POST", "/v2/webhooks", this::create)
        .route("GET", "/v2/webhooks", this::list)
        .route("GET", "/v2/webhooks/{id}", this::get)
        .route("PATCH", "/v2/webhooks/{id}", this::update)
        .route("DELETE", "/v2/webhooks/{id}", this::delete)
        .route("POST", "/v2/webhooks/{id}/rotate-secret", this::rotate)
        .route("POST", "/v2/webhooks/{id}/test", this::test)
        .route("GET", "/v2/webhooks/{id}/failed", this::failed)
        .route("POST", "/v2/webhooks/{id}/replay", this::replay);
  }

  Response create(Request request) {
    String platformId = platforms.authenticate(request);
    JsonNode body = request.jsonObject();
    var errors = new ArrayList<FieldError>();
    String url = url(body.get("url"), errors);
    List<String> types = eventTypes(body.get("event_types"), errors);
    if (!errors.isEmpty()) {
      throw ApiException.invalidFields(errors);
    }
    if (endpoints.recordsOf(platformId).size() >= MAX_ENDPOINTS) {
      throw ApiException.of(
          RejectionCode.CONFLICT, "a platform has at most " + MAX_ENDPOINTS + " endpoints");
    }
    String id = "we_" + UUID.randomUUID().toString().replace("-", "");
    String secret = WebhookSigner.newSecret(random);
    Instant now = clock.instant();
    var endpoint =
        WebhookEndpoint.newBuilder()
            .setEndpointId(id)
            .setPlatformId(platformId)
            .setUrl(url)
            .setEventTypes(types)
            .setStatus(WebhookEndpointStatus.ENABLED)
            .setSecrets(List.of(new WebhookSecret(endpoints.seal(id, secret), null)))
            .setCreatedAt(now)
            .setChangedAt(now)
            .build();
    writer.write(id, endpoint);
    return Response.of(201, new WebhookBodies.Created(id, url, types, "enabled", now, secret));
  }

  Response list(Request request) {
    String platformId = platforms.authenticate(request);
    return Response.ok(
        new WebhookBodies.EndpointList(
            endpoints.recordsOf(platformId).stream().map(WebhookBodies.Endpoint::of).toList()));
  }

  Response get(Request request) {
    return Response.ok(WebhookBodies.Endpoint.of(own(request)));
  }

  Response update(Request request) {
    WebhookEndpoint endpoint = own(request);
    JsonNode body = request.jsonObject();
    var errors = new ArrayList<FieldError>();
    var next = WebhookEndpoint.newBuilder(endpoint);
    boolean any = false;
    if (body.has("url")) {
      next.setUrl(url(body.get("url"), errors));
      any = true;
    }
    if (body.has("event_types")) {
      next.setEventTypes(eventTypes(body.get("event_types"), errors));
      any = true;
    }
    if (body.has("status")) {
      JsonNode status = body.get("status");
      if (status.isTextual() && status.asText().equals("enabled")) {
        next.setStatus(WebhookEndpointStatus.ENABLED).setDisabledReason(null);
      } else if (status.isTextual() && status.asText().equals("disabled")) {
        next.setStatus(WebhookEndpointStatus.DISABLED).setDisabledReason("by_platform");
      } else {
        errors.add(new FieldError("status", "is enabled or disabled"));
      }
      any = true;
    }
    if (!any && errors.isEmpty()) {
      errors.add(new FieldError("url", "give url, event_types or status to change"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalidFields(errors);
    }
    WebhookEndpoint changed = next.setChangedAt(clock.instant()).build();
    writer.write(endpoint.getEndpointId(), changed);
    return Response.ok(WebhookBodies.Endpoint.of(changed));
  }

  Response delete(Request request) {
    WebhookEndpoint endpoint = own(request);
    writer.write(endpoint.getEndpointId(), null);
    return Response.ok(new WebhookBodies.Deleted(endpoint.getEndpointId(), true));
  }

  Response rotate(Request request) {
    WebhookEndpoint endpoint = own(request);
    String id = endpoint.getEndpointId();
    String secret = WebhookSigner.newSecret(random);
    Instant now = clock.instant();
    var changed =
        WebhookEndpoint.newBuilder(endpoint)
            .setSecrets(
                EndpointDirectory.rotated(
                    endpoint.getSecrets(), endpoints.seal(id, secret), now, ROTATION_GRACE))
            .setChangedAt(now)
            .build();
    writer.write(id, changed);
    return Response.ok(new WebhookBodies.Rotated(id, secret, now.plus(ROTATION_GRACE)));
  }

  /** A test event, signed and posted now (bounded by the delivery's own deadline). */
  Response test(Request request) {
    WebhookEndpoint endpoint = own(request);
    String webhookId = "test_" + UUID.randomUUID().toString().replace("-", "");
    Instant now = clock.instant();
    byte[] payload =
        WebhookPayload.of(new ComplianceChange(webhookId, null, "test", null, null, now, null));
    DeliveryWorker.Outcome outcome = worker.deliver(endpoint, webhookId, payload);
    return Response.ok(
        new WebhookBodies.TestResult(
            webhookId, outcome.ok(), outcome.httpStatus(), outcome.error()));
  }

  Response failed(Request request) {
    WebhookEndpoint endpoint = own(request);
    List<UndeliveredEvents.Undelivered> found;
    try {
      found = undelivered.of(endpoint.getEndpointId(), MAX_FAILED_LISTED);
    } catch (IllegalStateException e) {
      throw new ApiException(
          503, "unavailable", e.getMessage(), List.of(), Map.of("Retry-After", "1"));
    }
    boolean more = found.size() > MAX_FAILED_LISTED;
    var data =
        found.stream()
            .limit(MAX_FAILED_LISTED)
            .map(
                u ->
                    new WebhookBodies.FailedEvent(
                        u.eventId(),
                        u.userId(),
                        u.type(),
                        u.occurredAt(),
                        u.failedAttempts(),
                        u.gaveUpAt()))
            .toList();
    return Response.ok(new WebhookBodies.FailedList(data, more));
  }

  /** Enables the endpoint again, and every queue of it that gave up starts again from its head. */
  Response replay(Request request) {
    WebhookEndpoint endpoint = own(request);
    Instant now = clock.instant();
    var changed =
        WebhookEndpoint.newBuilder(endpoint)
            .setStatus(WebhookEndpointStatus.ENABLED)
            .setDisabledReason(null)
            .setReplayRequestedAt(now)
            .setChangedAt(now)
            .build();
    writer.write(endpoint.getEndpointId(), changed);
    return Response.of(202, new WebhookBodies.Replay(endpoint.getEndpointId(), "enabled", now));
  }

  /** The calling platform's endpoint; a 404 for anyone else's, as for one that does not exist. */
  private WebhookEndpoint own(Request request) {
    String platformId = platforms.authenticate(request);
    String id = request.pathParam("id");
    return endpoints
        .record(id)
        .filter(e -> e.getPlatformId().equals(platformId))
        .orElseThrow(() -> ApiException.notFound("no webhook endpoint " + bounded(id)));
  }

  /**
   * The URL, checked as a delivery will check it: shape, and the addresses its host resolves to.
   */
  private String url(JsonNode node, List<FieldError> errors) {
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      errors.add(new FieldError("url", "is required: the https URL to post to"));
      return null;
    }
    String text = node.asText();
    if (text.length() > MAX_URL_CHARS) {
      errors.add(new FieldError("url", "has at most " + MAX_URL_CHARS + " characters"));
      return null;
    }
    try {
      guard.check(new URI(text));
      return text;
    } catch (URISyntaxException e) {
      errors.add(new FieldError("url", "is not a URL"));
    } catch (AddressGuard.Refused e) {
      errors.add(new FieldError("url", "is refused: " + e.getMessage()));
    }
    return null;
  }

  private static List<String> eventTypes(JsonNode node, List<FieldError> errors) {
    var known = new TreeSet<>(Audience.knownTypes());
    if (node == null || !node.isArray() || node.isEmpty()) {
      errors.add(new FieldError("event_types", "is a non-empty array of: " + known));
      return List.of();
    }
    if (node.size() > known.size()) {
      errors.add(new FieldError("event_types", "has at most " + known.size() + " types"));
      return List.of();
    }
    var types = new TreeSet<String>();
    for (JsonNode t : node) {
      if (!t.isTextual() || !known.contains(t.asText())) {
        errors.add(new FieldError("event_types", "holds only types among: " + known));
        return List.of();
      }
      types.add(t.asText());
    }
    return List.copyOf(types);
  }

  private static String bounded(String id) {
    return id.length() > 64 ? id.substring(0, 64) + "…" : id;
  }
}
