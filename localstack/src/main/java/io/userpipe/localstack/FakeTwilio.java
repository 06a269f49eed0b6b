package io.userpipe.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for Twilio's Messages API on loopback ({@code POST
 * /2010-04-01/Accounts/{sid}/Messages.json}): it records every request as it came (path, headers,
 * form), plays back scripted answers (a 429 with {@code Retry-After}, a 5xx, an error code) and
 * otherwise answers 201 with a message sid, as Twilio does. With a phone file, each accepted
 * message is appended to it as one line, {@code <time> <sid> to <To>: <Body>}, so tests that run
 * the services' own mains read their codes as the local demo's outbox shows them.
 */
public final class FakeTwilio implements AutoCloseable {

  /** One request as the fake received it. */
  public record Received(
      String method, String path, Map<String, String> headers, Map<String, String> form) {}

  /** An answer to play back once. */
  public record Answer(int status, Map<String, String> headers, String body) {

    public static Answer error(int status, int code) {
      return new Answer(
          status,
          Map.of(),
          "{\"code\": "
              + code
              + ", \"message\": \"The 'To' number +15005550001 is not valid.\", \"more_info\":"
              + " \"https://www.twilio.com/docs/errors/"
              + code
              + "\", \"status\": "
              + status
              + "}");
    }

    public static Answer tooManyRequests(int retryAfterSeconds) {
      return new Answer(
          429,
          Map.of("Retry-After", Integer.toString(retryAfterSeconds)),
          "{\"code\": 20429, \"message\": \"Too Many Requests\", \"status\": 429}");
    }
  }

  private final HttpServer server;
  private final Path phone;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Deque<Answer> script = new ConcurrentLinkedDeque<>();

  private FakeTwilio(Path phone) throws IOException {
    this.phone = phone;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts one on a free loopback port. */
  public static FakeTwilio start() {
    return start(null);
  }

  /** Starts one that appends every accepted message to {@code phone}. */
  public static FakeTwilio start(Path phone) {
    try {
      return new FakeTwilio(phone);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@code TWILIO_API_URL} is set to. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Plays these back, one per request, before answering 201 again. */
  public void script(Answer... answers) {
    script.addAll(List.of(answers));
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      var headers = new LinkedHashMap<String, String>();
      exchange
          .getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
      var form = parseForm(new String(body, StandardCharsets.UTF_8));
      received.add(
          new Received(
              exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, form));
      Answer answer = script.pollFirst();
      if (answer == null) {
        String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
        if (phone != null) {
          String line =
              Instant.now() + " " + sid + " to " + form.get("To") + ": " + form.get("Body") + "\n";
          synchronized (this) {
            Files.writeString(
                phone,
                line,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
          }
        }
        answer = new Answer(201, Map.of(), "{\"sid\": \"" + sid + "\", \"status\": \"queued\"}");
      }
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), out.length);
      exchange.getResponseBody().write(out);
    }
  }

  private static Map<String, String> parseForm(String body) {
    var form = new LinkedHashMap<String, String>();
    if (body.isEmpty()) {
      return form;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      form.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return form;
  }

  /** The requests' form keys in the order they came, for assertions on the exact request. */
  public static List<String> keys(Received request) {
    return new ArrayList<>(request.form().keySet());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
