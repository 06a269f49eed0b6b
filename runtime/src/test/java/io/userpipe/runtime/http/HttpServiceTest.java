package io.userpipe.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServiceTest {

  private HttpService http;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    http = new HttpService("127.0.0.1", 0);
    http.route(
            "GET",
            "/things/{id}",
            r -> Response.ok(Map.of("id", r.pathParam("id"), "q", r.query("q").orElse(""))))
        .route("GET", "/things/special", r -> Response.ok(Map.of("special", true)))
        .route(
            "POST",
            "/things",
            r -> Response.of(201, Map.of("name", r.jsonObject().get("name").asText())))
        .route(
            "GET",
            "/boom",
            r -> {
              throw new IllegalStateException("secret detail");
            });
    http.start();
    http.routesComplete();
  }

  @AfterEach
  void stop() {
    http.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(URI.create(http.baseUrl() + path));
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.mapper().readTree(r.body());
  }

  @Test
  void capturesPathParametersAndQuery() throws Exception {
    var r = send(at("/things/a%20b?q=x%26y"));
    assertEquals(200, r.statusCode());
    assertEquals("a b", json(r).get("id").asText());
    assertEquals("x&y", json(r).get("q").asText());
  }

  @Test
  void literalSegmentsWinOverParameters() throws Exception {
    assertTrue(json(send(at("/things/special"))).get("special").asBoolean());
  }

  @Test
  void wrongMethodIs405AndUnknownPathIs404() throws Exception {
    var wrong = send(at("/things/1").DELETE());
    assertEquals(405, wrong.statusCode());
    assertEquals("method_not_allowed", json(wrong).at("/error/code").asText());
    var unknown = send(at("/nothing"));
    assertEquals(404, unknown.statusCode());
    assertEquals("application/json", unknown.headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  void bodiesOverTheLimitAre413() throws Exception {
    var big = "{\"name\":\"" + "x".repeat(HttpService.MAX_BODY_BYTES) + "\"}";
    var r = send(at("/things").POST(HttpRequest.BodyPublishers.ofString(big)));
    assertEquals(413, r.statusCode());
    assertEquals("body_too_large", json(r).at("/error/code").asText());
  }

  /**
   * A body nobody read (an unknown path) is read and dropped before the answer, so the client gets
   * the 404, and its kept-alive connection carries the next request; a read body is not read again.
   */
  @Test
  void aBodyNobodyReadIsDroppedAndTheConnectionCarriesTheNextRequest() throws Exception {
    var client11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    var body = HttpRequest.BodyPublishers.ofString("x".repeat(200_000));
    for (int i = 0; i < 3; i++) {
      var unknown =
          client11.send(at("/nothing").POST(body).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, unknown.statusCode());
      var created =
          client11.send(
              at("/things").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"a\"}")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode(), created.body());
      assertEquals("a", json(created).get("name").asText());
    }
  }

  @Test
  void nonObjectJsonIs400() throws Exception {
    for (String body : new String[] {"[1,2]", "42", "\"s\"", "{\"name\":\"a\"} trailing", ""}) {
      var r = send(at("/things").POST(HttpRequest.BodyPublishers.ofString(body)));
      assertEquals(400, r.statusCode(), body);
      assertEquals("invalid_json", json(r).at("/error/code").asText(), body);
    }
  }

  @Test
  void bugsAre500WithoutTheirDetails() throws Exception {
    var r = send(at("/boom"));
    assertEquals(500, r.statusCode());
    assertTrue(!r.body().contains("secret detail"));
  }
}
