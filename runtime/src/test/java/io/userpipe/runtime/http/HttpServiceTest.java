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

  private static final byte[] BIG = bigBody();

  private HttpService http;

  private static byte[] bigBody() {
    byte[] b = new byte[3 * HttpService.WRITE_SLICE * 100 + 17];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

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
        .route("GET", "/big", r -> Response.raw(200, "text/plain", BIG))
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

  /**
   * An answer is handed to the connection in slices: the JDK server keeps, for as long as the
   * connection lives, a write buffer of twice the largest single write it was given.
   */
  @Test
  void aLargeAnswerIsWrittenInSlicesAndArrivesWhole() throws Exception {
    // given a recording stream: when an answer of 300 slices and a bit is written
    java.util.List<Integer> writes = new java.util.ArrayList<>();
    var out =
        new java.io.ByteArrayOutputStream() {
          @Override
          public synchronized void write(byte[] b, int off, int len) {
            writes.add(len);
            super.write(b, off, len);
          }
        };
    HttpService.writeInSlices(out, BIG);
    // then no write is over the slice, and every byte is there in order
    assertTrue(writes.stream().allMatch(n -> n <= HttpService.WRITE_SLICE), writes.toString());
    assertEquals(BIG.length / HttpService.WRITE_SLICE + 1, writes.size());
    assertTrue(java.util.Arrays.equals(BIG, out.toByteArray()));

    // and through the server, twice on one kept-alive connection, the answer arrives whole
    var client11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < 2; i++) {
      var r = client11.send(at("/big").build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode());
      assertTrue(java.util.Arrays.equals(BIG, r.body()), "answer " + i + " arrived whole");
    }
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
