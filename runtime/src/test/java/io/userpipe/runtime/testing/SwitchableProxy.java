package io.userpipe.runtime.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy in front of a real server (the schema registry) that a test can switch off:
 * while down it answers every request with 503, as a registry in an outage does; while up it
 * forwards method, path, query, body and content type, and hands the answer back.
 */
public final class SwitchableProxy implements AutoCloseable {
  private final AtomicBoolean up = new AtomicBoolean(true);
  private final AtomicInteger refused = new AtomicInteger();
  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String target;

  /** Starts a proxy to {@code target} (e.g. {@code http://127.0.0.1:8081}), switched up. */
  public SwitchableProxy(String target) throws IOException {
    this.target = target;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // several processes call at once: one handler thread each, not one for all
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Where to point a client instead of the real server. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** From now on, every request is answered 503. */
  public void down() {
    up.set(false);
  }

  /** From now on, requests are forwarded again. */
  public void up() {
    up.set(true);
  }

  public boolean isUp() {
    return up.get();
  }

  /** How many requests were answered 503 while down. */
  public int refused() {
    return refused.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!up.get()) {
        refused.incrementAndGet();
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      var request =
          HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
              .method(
                  exchange.getRequestMethod(),
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      if (type != null) {
        request.header("Content-Type", type);
      }
      HttpResponse<byte[]> answer;
      try {
        answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      answer
          .headers()
          .firstValue("Content-Type")
          .ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
      byte[] bytes = answer.body();
      exchange.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }
}
