package io.userpipe.runtime.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API, limited to the calls that Confluent, Apicurio
 * ({@code /apis/ccompat/v7}), Karapace and Redpanda all serve. Ids and schemas are cached: they
 * never change once assigned.
 */
public final class SchemaRegistryClient {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long one call keeps retrying a registry that is down before it gives up. */
  static final Duration RETRY_BUDGET = Duration.ofSeconds(5);

  private final String baseUrl;
  private final HttpClient http;
  private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  public SchemaRegistryClient(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** Registers (or finds) the schema under the subject and answers its global id. */
  public int register(String subject, Schema schema) {
    String canonical = schema.toString();
    return idsBySubjectAndSchema.computeIfAbsent(
        subject + "\u0000" + canonical,
        k -> {
          JsonNode answer;
          try {
            answer = registerOnce(subject, canonical);
          } catch (RegistryException e) {
            if (e.status() != 409) {
              throw e;
            }
            // Two writers registering a new subject at once: the registry (Apicurio) answers the
            // loser 409 "already exists". Asked again, it finds or adds the version; a schema that
            // is really incompatible is refused with 409 again.
            answer = registerOnce(subject, canonical);
          }
          int id = answer.get("id").asInt();
          schemasById.putIfAbsent(id, schema);
          return id;
        });
  }

  private JsonNode registerOnce(String subject, String canonical) {
    return call("POST", "/subjects/" + encode(subject) + "/versions", Map.of("schema", canonical));
  }

  /** The writer schema of an id. */
  public Schema schemaById(int id) {
    return schemasById.computeIfAbsent(
        id,
        k -> {
          JsonNode answer = call("GET", "/schemas/ids/" + id, null);
          return new Schema.Parser().parse(answer.get("schema").asText());
        });
  }

  /**
   * Sets the subject's compatibility level. Two writers setting a new subject's level at once (two
   * instances publishing its first record) race to create its rule: the registry answers the loser
   * 409 "A rule named 'COMPATIBILITY' already exists" (TwoInstancesTest dead-lettered a record on
   * it). That is no refusal: the rule is there; it is set again only if it holds another level.
   */
  public void setCompatibility(String subject, String level) {
    try {
      call("PUT", "/config/" + encode(subject), Map.of("compatibility", level));
    } catch (RegistryException e) {
      if (e.status() != 409) {
        throw e;
      }
      if (compatibility(subject).filter(level::equalsIgnoreCase).isEmpty()) {
        call("PUT", "/config/" + encode(subject), Map.of("compatibility", level));
      }
    }
  }

  public Optional<String> compatibility(String subject) {
    try {
      JsonNode answer = call("GET", "/config/" + encode(subject), null);
      JsonNode level =
          answer.has("compatibilityLevel")
              ? answer.get("compatibilityLevel")
              : answer.get("compatibility");
      return Optional.ofNullable(level).map(JsonNode::asText);
    } catch (RegistryException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Would the schema be accepted as the subject's next version? A new subject accepts anything. */
  public boolean isCompatible(String subject, Schema schema) {
    try {
      JsonNode answer =
          call(
              "POST",
              "/compatibility/subjects/" + encode(subject) + "/versions/latest",
              Map.of("schema", schema.toString()));
      return answer.get("is_compatible").asBoolean();
    } catch (RegistryException e) {
      if (e.status() == 404) {
        return true;
      }
      if (e.status() == 409) {
        return false;
      }
      throw e;
    }
  }

  /**
   * A call, retried with a short growing pause while the registry is unreachable or answers
   * 5xx/429, for about {@link #RETRY_BUDGET} in all: a blip does not fail the record.
   */
  private JsonNode call(String method, String path, Object body) {
    long deadline = System.nanoTime() + RETRY_BUDGET.toNanos();
    long pauseMs = 100;
    while (true) {
      try {
        return callOnce(method, path, body);
      } catch (RegistryException e) {
        if (!e.isTransient()
            || Thread.currentThread().isInterrupted()
            || System.nanoTime() + pauseMs * 1_000_000 > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(pauseMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException(method, baseUrl + path, -1, "interrupted");
      }
      pauseMs = Math.min(pauseMs * 2, 1_000);
    }
  }

  private JsonNode callOnce(String method, String path, Object body) {
    String url = baseUrl + path;
    try {
      var request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(10))
              .header("Accept", CONTENT_TYPE + ", application/json")
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      if (body != null) {
        request.header("Content-Type", CONTENT_TYPE);
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new RegistryException(method, url, response.statusCode(), response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new RegistryException(method, url, -1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(method, url, -1, "interrupted");
    }
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8);
  }

  /** A registry call that failed: the URL, the status and the registry's own words. */
  public static final class RegistryException extends RuntimeException {
    private final int status;

    RegistryException(String method, String url, int status, String body) {
      super(
          "schema registry "
              + method
              + " "
              + url
              + (status < 0 ? " failed: " : " answered " + status + ": ")
              + body);
      this.status = status;
    }

    /** The HTTP status, or -1 when there was no answer (I/O failure, timeout). */
    public int status() {
      return status;
    }

    /**
     * A fault of the registry, not of the request: no answer (unreachable, timed out), a 5xx, a 429
     * or a 408. It may well succeed later. A 404 for a schema id, a 409 or a 422 never will.
     */
    public boolean isTransient() {
      return status < 0 || status >= 500 || status == 429 || status == 408;
    }
  }
}
