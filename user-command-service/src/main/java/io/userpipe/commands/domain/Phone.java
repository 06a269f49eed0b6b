package io.userpipe.commands.domain;

/** A phone number in normalized form; {@code e164} is the identity of a user. */
public record Phone(String countryCode, String nationalNumber, String e164) {}
