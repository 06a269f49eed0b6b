package io.userpipe.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One HTTP request, with the path parameters its route template captured. */
public final class Request {

  private final String method;
  private final String path;
  private final Map<String, String> pathParams;
  private final Map<String, List<String>> query;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  Request(
      String method,
      String path,
      Map<String, String> pathParams,
      Map<String, List<String>> query,
      Map<String, List<String>> headers,
      byte[] body) {
    this.method = method;
    this.path = path;
    this.pathParams = Map.copyOf(pathParams);
    this.query = Map.copyOf(query);
    this.headers = headers;
    this.body = body;
  }

  /** For handler tests. Header names are matched case-insensitively. */
  public static Request of(
      String method,
      String path,
      Map<String, String> pathParams,
      Map<String, List<String>> query,
      Map<String, String> headers,
      String body) {
    var lowered = new java.util.HashMap<String, List<String>>();
    headers.forEach((k, v) -> lowered.put(k.toLowerCase(Locale.ROOT), List.of(v)));
    return new Request(
        method,
        path,
        pathParams,
        query,
        lowered,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  public String pathParam(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalArgumentException("route has no path parameter " + name);
    }
    return value;
  }

  public Optional<String> query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * Every value of a query parameter given more than once ({@code name[]=a&name[]=b}), in order.
   */
  public List<String> queryAll(String name) {
    return query.getOrDefault(name, List.of());
  }

  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public byte[] body() {
    return body;
  }

  /**
   * The body as a JSON object; a missing, malformed or non-object body is a 400 that says what is
   * wrong and where.
   */
  public JsonNode jsonObject() {
    if (body.length == 0) {
      throw new ApiException(
          400, "invalid_json", "request body is empty; a JSON object is expected");
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(body);
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
      // names the limit: nesting depth, string length or number length
      throw new ApiException(
          400, "invalid_json", "JSON over a limit: " + e.getOriginalMessage(), List.of(), Map.of());
    } catch (JsonProcessingException e) {
      var location = e.getLocation();
      String where =
          location == null
              ? ""
              : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
      throw new ApiException(400, "invalid_json", "malformed JSON" + where, List.of(), Map.of());
    } catch (java.io.IOException e) {
      throw new ApiException(400, "invalid_json", "unreadable body", List.of(), Map.of());
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(400, "invalid_json", "request body must be a JSON object");
    }
    return node;
  }
}
