package io.userpipe.webhooks.worker;

/** One attempt to hand to the worker: the head of one person's queue for one endpoint. */
public record Delivery(
    String endpointId, String userId, String eventId, int attempt, byte[] payload) {}
