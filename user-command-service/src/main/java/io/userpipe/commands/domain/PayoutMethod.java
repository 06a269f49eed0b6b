package io.userpipe.commands.domain;

/** One of a user's payout methods. */
public record PayoutMethod(String id, PayoutDetails details) {}
