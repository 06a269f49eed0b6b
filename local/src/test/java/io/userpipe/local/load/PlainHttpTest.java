package io.userpipe.local.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load generator's HTTP/1.1 connection against the JDK's HTTP server. */
class PlainHttpTest {

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private int serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> seen = new CopyOnWriteArrayList<>();
    server.createContext(
        "/echo",
        exchange -> {
          try (exchange) {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String answer =
                exchange.getRequestMethod()
                    + " "
                    + exchange.getRequestURI()
                    + " key="
                    + exchange.getRequestHeaders().getFirst("Idempotency-Key")
                    + " body="
                    + body;
            seen.add(answer);
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            if (exchange.getRequestURI().getPath().endsWith("/close")) {
              exchange.getResponseHeaders().set("Connection", "close");
            }
            // a length of 0 asks the server for a chunked answer
            boolean chunked = exchange.getRequestURI().getPath().contains("/chunked");
            exchange.sendResponseHeaders(201, chunked ? 0 : bytes.length);
            exchange.getResponseBody().write(bytes);
          }
        });
    server.start();
    return server.getAddress().getPort();
  }

  @Test
  void requestsShareOneKeptAliveConnectionAndArriveExactly() throws Exception {
    int port = serve();
    try (var http = new PlainHttp("127.0.0.1", port, Duration.ofSeconds(5))) {
      for (int i = 0; i < 3; i++) {
        var answer =
            http.exchange(
                "POST",
                "/echo/" + i + "?q=1",
                Map.of("Idempotency-Key", "k" + i),
                "{\"n\":\"é" + i + "\"}");
        assertEquals(201, answer.status());
        assertEquals(
            "POST /echo/" + i + "?q=1 key=k" + i + " body={\"n\":\"é" + i + "\"}", answer.body());
      }
      assertEquals(1, http.connections());
    }
  }

  @Test
  void aChunkedAnswerIsReadWhole() throws Exception {
    int port = serve();
    try (var http = new PlainHttp("127.0.0.1", port, Duration.ofSeconds(5))) {
      var answer = http.exchange("GET", "/echo/chunked", Map.of(), null);
      assertEquals(201, answer.status());
      assertEquals("GET /echo/chunked key=null body=", answer.body());
      // and the connection is still usable after it
      assertEquals(
          "GET /echo/x key=null body=", http.exchange("GET", "/echo/x", Map.of(), null).body());
      assertEquals(1, http.connections());
    }
  }

  @Test
  void aConnectionTheServerClosesIsOpenedAnewForTheNextRequest() throws Exception {
    int port = serve();
    try (var http = new PlainHttp("127.0.0.1", port, Duration.ofSeconds(5))) {
      assertEquals(201, http.exchange("GET", "/echo/close", Map.of(), null).status());
      assertEquals(201, http.exchange("GET", "/echo/next", Map.of(), null).status());
      assertEquals(2, http.connections());
    }
  }

  @Test
  void noByteOfAnAnswerIsNoAnswerAndMaySendAgain() throws Exception {
    try (var silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      var closer =
          new Thread(
              () -> {
                try (var s = silent.accept()) {
                  s.getInputStream().read(new byte[1024]); // the request, then close: no answer
                } catch (IOException e) {
                  // the test fails on its own assertion
                }
              });
      closer.start();
      try (var http = new PlainHttp("127.0.0.1", silent.getLocalPort(), Duration.ofSeconds(5))) {
        assertThrows(
            PlainHttp.NoAnswer.class, () -> http.exchange("POST", "/v2/users", Map.of(), "{}"));
      }
      closer.join();
    }
  }
}
