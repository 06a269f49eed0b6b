package io.userpipe.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.runtime.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A test's HTTP client of the API, authenticated as one platform (or one operator). Every answer it
 * receives is validated against the served OpenAPI document ({@link OpenApiContract}).
 */
final class ApiClient {

  record Answer(int status, JsonNode json, HttpResponse<String> raw) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String authorization;

  ApiClient(String baseUrl, String clientId, String apiKey) {
    this(
        baseUrl,
        clientId == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((clientId + ":" + apiKey).getBytes(StandardCharsets.UTF_8)));
  }

  private ApiClient(String baseUrl, String authorization) {
    this.baseUrl = baseUrl;
    this.authorization = authorization;
  }

  Answer get(String path) {
    return send(builder(path).GET());
  }

  /**
   * Waits until a GET of {@code path} answers {@code status}: a credential change reaches the doors
   * through a topic, a moment after the command. Fails after a minute.
   */
  void awaitStatus(String path, int status) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
    int seen = -1;
    while (System.nanoTime() < deadline) {
      seen = get(path).status();
      if (seen == status) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(path + " still answers " + seen + ", not " + status);
  }

  /** Creates a person with a fresh phone number; their id. */
  String createUser(String first, String last, String dateOfBirth) {
    var created =
        post(
            "/v2/users",
            """
            {"first_name":"%s","last_name":"%s","email":"%s@example.com",
             "country_code":"1","phone_number":"%s","date_of_birth":"%s"}"""
                .formatted(
                    first,
                    last,
                    first.toLowerCase(java.util.Locale.ROOT),
                    TestPhones.next(),
                    dateOfBirth));
    org.junit.jupiter.api.Assertions.assertEquals(200, created.status(), created.raw().body());
    return created.json().get("id").asText();
  }

  /** Reads a person until their TIN verification is {@code expected}; fails after a minute. */
  void awaitTaxIdVerification(String userId, String expected) throws InterruptedException {
    String status = null;
    for (int i = 0; i < 600; i++) {
      status = get("/v2/users/" + userId).json().at("/compliance/tax_id_verification").asText();
      if (status.equals(expected)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("user " + userId + "'s TIN is " + status + ", not " + expected);
  }

  Answer post(String path, String body) {
    return send(
        builder(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** A request with one more header (an {@code Idempotency-Key}, say). */
  Answer send(String method, String path, String body, String header, String value) {
    return send(
        builder(path)
            .header(header, value)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)));
  }

  Answer send(String method, String path, String body) {
    return send(
        builder(path)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)));
  }

  /**
   * What a client does with a write's answer: a 200 is final; a 202 (the write outlived the
   * server's wait) is followed to its status URL until the command is decided, and the decided
   * command ({@code command_id}, {@code status}, {@code user_id}) is answered with status 200. Any
   * other answer is returned as it is.
   */
  Answer decided(Answer answer) {
    if (answer.status() != 202) {
      return answer;
    }
    String statusUrl = answer.json().get("status_url").asText();
    for (int i = 0; i < 600; i++) {
      Answer status = get(statusUrl);
      if (status.status() == 200) {
        return status;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("command at " + statusUrl + " was never decided");
  }

  private HttpRequest.Builder builder(String path) {
    var b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpRequest built = request.build();
      HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
      // every answer a test receives is held to the OpenAPI document
      OpenApiContract.assertDescribed(
          built.method(),
          built.uri(),
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(null),
          response.body());
      boolean isJson =
          response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
      JsonNode json =
          response.body().isEmpty() || !isJson ? null : Json.mapper().readTree(response.body());
      return new Answer(response.statusCode(), json, response);
    } catch (java.net.http.HttpTimeoutException e) {
      dumpThreads();
      throw new java.io.UncheckedIOException(e);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A request that hangs is a bug to find: print every thread's stack and the locks held. */
  private static void dumpThreads() {
    StringBuilder b = new StringBuilder("request timed out; threads:\n");
    for (var info :
        java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      b.append(info.toString());
      if (info.getLockOwnerName() != null) {
        b.append("    waiting for a lock held by ").append(info.getLockOwnerName()).append('\n');
      }
      for (StackTraceElement e : info.getStackTrace()) {
        b.append("    at ").append(e).append('\n');
      }
      for (var m : info.getLockedMonitors()) {
        b.append("    holds ")
            .append(m)
            .append(" (taken at ")
            .append(m.getLockedStackFrame())
            .append(")\n");
      }
    }
    System.err.println(b);
  }
}
