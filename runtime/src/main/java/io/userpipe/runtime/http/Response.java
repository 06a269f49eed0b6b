package io.userpipe.runtime.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What a handler answers: a status, a body serialized as JSON (or sent as is when it is a {@link
 * RawBody}), and extra headers; or an answer to come ({@link #later}), which holds no thread while
 * it is awaited.
 */
public record Response(int status, Object body, Map<String, String> headers) {

  /** A body that is not JSON: bytes with their content type. */
  public record RawBody(String contentType, byte[] bytes) {}

  /**
   * An answer that is not ready yet: the HTTP door sends it when it completes (failed with an
   * {@link ApiException}: that refusal), and serves other requests meanwhile.
   */
  public record Deferred(CompletionStage<Response> answer) {}

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

  /** The answer {@code answer} will be, once complete; no thread waits for it. */
  public static Response later(CompletionStage<Response> answer) {
    return new Response(0, new Deferred(answer), Map.of());
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
