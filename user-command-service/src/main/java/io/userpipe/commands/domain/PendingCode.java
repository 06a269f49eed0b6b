package io.userpipe.commands.domain;

import java.time.Instant;

/** The one-time code a user may still enter, as its keyed hash. */
public record PendingCode(byte[] codeHash, Instant expiresAt, int attempts, boolean locked) {}
