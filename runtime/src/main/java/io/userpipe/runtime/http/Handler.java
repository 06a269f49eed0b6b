package io.userpipe.runtime.http;

/** Answers one request. Throws {@link ApiException} for a client error. */
@FunctionalInterface
public interface Handler {
  Response handle(Request request) throws Exception;
}
