package io.userpipe.runtime.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: a status, a body serialized as JSON (or sent as is when it is a {@link
 * RawBody}), and extra headers.
 */
public record Response(int status, Object body, Map<String, String> headers) {

  /** A body that is not JSON: bytes with their content type. */
  public record RawBody(String contentType, byte[] bytes) {}

  public Response {
    headers = Map.copyOf(headers);
  }

  public static Response ok(Object body) {
    return new Response(200, body, Map.of());
  }

  public static Response of(int status, Object body) {
    return new Response(status, body, Map.of());
  }

  public static Response noContent() {
    return new Response(204, null, Map.of());
  }

  public static Response raw(int status, String contentType, byte[] bytes) {
    return new Response(status, new RawBody(contentType, bytes), Map.of());
  }

  public Response withHeader(String name, String value) {
    var copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Response(status, body, copy);
  }
}
