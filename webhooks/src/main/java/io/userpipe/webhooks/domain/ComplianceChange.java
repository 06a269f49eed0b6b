package io.userpipe.webhooks.domain;

import java.time.Instant;

/**
 * A compliance event as the webhooks' rules see it (mapped from {@code compliance.events} at the
 * edge). {@code platformId} is the platform whose command caused it, when one did.
 */
public record ComplianceChange(
    String eventId,
    String userId,
    String type,
    String previousStatus,
    String newStatus,
    Instant occurredAt,
    String platformId) {}
