package io.userpipe.runtime.http;

/** One invalid field of a request: its JSON name and why it was refused. */
public record FieldError(String field, String reason) {}
