package io.userpipe.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.userpipe.runtime.config.AppConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small JSON HTTP server on the JDK's {@code HttpServer}: routes with path parameters, JSON
 * bodies, and one error shape for every failure (unknown path 404, wrong method 405, too large 413,
 * client errors as thrown, bugs 500 without details). Several services can mount their routes on
 * one instance, which is how the local run serves everything from one base URL.
 */
public final class HttpService implements AutoCloseable {

  /** The JDK HTTP server's switch for TCP_NODELAY on accepted connections. */
  static final String NODELAY = "sun.net.httpserver.nodelay";

  /**
   * The JDK HTTP server's bound on idle keep-alive connections, read once like {@link #NODELAY}.
   */
  static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";

  /** Requests larger than this are refused before they are read whole. */
  public static final int MAX_BODY_BYTES = 1 << 20;

  /** How much of a too-large body is read and dropped before answering 413. */
  private static final long DRAIN_LIMIT = 16L << 20;

  private static final Logger log = LoggerFactory.getLogger(HttpService.class);

  /**
   * Threads serving requests. A write that waits for its command's result answers {@link
   * Response#later} and gives its thread back meanwhile, so these are busy only while a request is
   * read, checked and published.
   */
  public static final int THREADS = 64;

  /**
   * Requests whose answer is awaited ({@link Response#later}), holding no thread. One more is
   * answered 503 with {@code Retry-After} at once, on the accepting thread.
   */
  public static final int MAX_WAITING = 4096;

  /**
   * The longest an awaited answer may take before the door gives up on it (500): every wait in the
   * handlers is bounded well inside it, so this only catches a bug, never a slow pipeline.
   */
  static final Duration MAX_AWAIT = Duration.ofSeconds(25);

  /** Threads that send awaited answers once they are ready. */
  static final int ANSWER_THREADS = 2;

  /**
   * Requests being served or waiting for a thread. One more is answered 503 with {@code
   * Retry-After} at once, on the accepting thread, instead of queueing without bound.
   */
  public static final int MAX_IN_FLIGHT = 1024;

  /**
   * Seconds a request may take to arrive whole, and an answer to be sent: a client that sends its
   * request slowly (slow loris) or never reads the answer loses its connection then, so it cannot
   * hold a thread. The JDK server reads these once; an operator's {@code -D} wins.
   */
  static final String MAX_REQUEST_SECONDS = "10";

  static final String MAX_RESPONSE_SECONDS = "30";

  /**
   * How long a request may wait for a thread before it is answered 503 with {@code Retry-After}:
   * well inside the request clock, which counts that wait too.
   */
  static final Duration MAX_QUEUE_WAIT = Duration.ofSeconds(5);

  static {
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
    }
    if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
      System.setProperty("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
    }
  }

  /**
   * Why a request is refused unread, set on the thread that answers it (the accepting thread over
   * {@link #maxInFlight}, the shedder for a request that waited too long for a thread).
   */
  private static final ThreadLocal<String> OVERLOADED = new ThreadLocal<>();

  static {
    // The JDK server writes a response's headers and body in separate packets and leaves Nagle's
    // algorithm on unless told: the body then waits for the client's delayed ACK of the headers,
    // about 40 ms on Linux, on every answer (measured: a 401 took 45 ms on average, a create's
    // answer 169 ms). Read once, when the JDK's server classes first load, so set before any.
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
    // Beyond this many idle keep-alive connections the JDK server closes the next one that goes
    // idle, without a word (no "Connection: close"), and a client that sends its next request on it
    // reads nothing back (bin/load with 1,000 creates in flight: "header parser received no
    // bytes"). Its default, 200, was below the requests this door now holds at once.
    if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
      System.setProperty(MAX_IDLE_CONNECTIONS, String.valueOf(MAX_IN_FLIGHT + MAX_WAITING));
    }
  }

  private final String host;
  private final int requestedPort;
  private final int threads;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger mostWaiting = new AtomicInteger();
  private final List<Route> routes = new ArrayList<>();
  private final Duration maxQueueWait;
  private final WorkGate gate;
  private HttpServer server;
  private ExecutorService executor;
  private ScheduledExecutorService shedder;
  private ExecutorService answerer;

  /**
   * False while services are still mounting their routes: an unknown path then answers 503 with
   * {@code Retry-After} (its route may be on its way), never a 404 that a client would take as
   * final.
   */
  private volatile boolean routesComplete;

  public HttpService(String host, int port) {
    this(host, port, THREADS, MAX_IN_FLIGHT, MAX_QUEUE_WAIT, WorkGate.DEFAULT_PLACES);
  }

  /**
   * The HTTP door a configuration describes: {@code HTTP_HOST}, {@code HTTP_PORT} and {@code
   * HTTP_WORK_PLACES} (how many requests do work at once; {@link WorkGate#DEFAULT_PLACES}).
   */
  public static HttpService from(AppConfig config) {
    return new HttpService(
        config.httpHost(),
        config.httpPort(),
        THREADS,
        MAX_IN_FLIGHT,
        MAX_QUEUE_WAIT,
        config.getInt(AppConfig.HTTP_WORK_PLACES, WorkGate.DEFAULT_PLACES));
  }

  /**
   * Threads of an internal listener: its callers are the service's other instances, forwarding
   * requests that each hold one of their own work places.
   */
  static final int INTERNAL_THREADS = 16;

  /**
   * The listener a service's own instances call ({@code INTERNAL_HTTP_HOST}, {@code
   * INTERNAL_HTTP_PORT}; loopback by default), apart from the public port: what is mounted here is
   * never served there.
   */
  public static HttpService internal(AppConfig config) {
    return new HttpService(
        config.internalHttpHost(),
        config.internalHttpPort(),
        INTERNAL_THREADS,
        MAX_IN_FLIGHT,
        MAX_QUEUE_WAIT,
        WorkGate.DEFAULT_PLACES);
  }

  /** With other bounds than the defaults (tests). */
  HttpService(
      String host, int port, int threads, int maxInFlight, Duration maxQueueWait, int workPlaces) {
    this.host = host;
    this.requestedPort = port;
    this.threads = threads;
    this.maxInFlight = maxInFlight;
    this.maxQueueWait = maxQueueWait;
    this.gate = new WorkGate(workPlaces, maxQueueWait);
  }

  /** Requests doing work and waiting for their turn (metrics, tests). */
  public WorkGate gate() {
    return gate;
  }

  public synchronized HttpService route(String method, String template, Handler handler) {
    routes.add(Route.of(method.toUpperCase(Locale.ROOT), template, handler));
    routes.sort(Comparator.comparingInt(Route::specificity).reversed());
    return this;
  }

  /** Every route's {@code METHOD /template}, as mounted (the cross-tenant suite's table). */
  public synchronized List<String> routeTable() {
    return routes.stream().map(r -> r.method() + " " + r.template()).sorted().toList();
  }

  public synchronized void start() {
    try {
      server = HttpServer.create(new InetSocketAddress(host, requestedPort), 128);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind HTTP on " + host + ":" + requestedPort, e);
    }
    // Handlers block while they wait for a command's result, so they get threads of their own.
    var threads = new AtomicInteger();
    var queue = new LinkedBlockingQueue<Runnable>();
    executor =
        new ThreadPoolExecutor(
            this.threads,
            this.threads,
            0,
            TimeUnit.MILLISECONDS,
            queue,
            r -> {
              Thread t = new Thread(r, "http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ExecutorService workers = executor;
    server.setExecutor(
        task -> {
          if (waiting.get() >= MAX_WAITING) {
            overloaded(task, "more than " + MAX_WAITING + " answers awaited (the limit); retry");
            return;
          }
          if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            // answered at once on the accepting thread: a 503, never a queue without bound
            overloaded(task, "more than " + maxInFlight + " requests in flight (the limit); retry");
            return;
          }
          try {
            workers.execute(new Queued(task, System.nanoTime()));
          } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.decrementAndGet(); // closing
          }
        });
    shedder =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "http-shedder");
              t.setDaemon(true);
              return t;
            });
    var answerThreads = new AtomicInteger();
    answerer =
        Executors.newFixedThreadPool(
            ANSWER_THREADS,
            r -> {
              Thread t = new Thread(r, "http-answer-" + answerThreads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(1, maxQueueWait.toMillis() / 4);
    shedder.scheduleAtFixedRate(() -> shed(queue), period, period, TimeUnit.MILLISECONDS);
    server.createContext("/", this::dispatch);
    server.start();
    log.info("HTTP listening on http://{}:{}", host, port());
  }

  /**
   * A request waiting for a thread is answered 503 once it has waited {@link #MAX_QUEUE_WAIT}: the
   * JDK server's request clock ({@link #MAX_REQUEST_SECONDS}) starts before the request joins this
   * queue, and a request still queued when it runs out loses its connection with no answer at all
   * (seen in the soak with every thread busy), which a client cannot tell from a lost write.
   */
  private void shed(LinkedBlockingQueue<Runnable> queue) {
    long now = System.nanoTime();
    for (Runnable next = queue.peek(); next != null; next = queue.peek()) {
      var queued = (Queued) next;
      if (now - queued.since() < maxQueueWait.toNanos() || !queue.remove(queued)) {
        return; // the oldest is young enough (or just taken by a thread): so are the others
      }
      try {
        overloaded(
            queued.task(),
            "waited "
                + maxQueueWait.toMillis()
                + " ms for one of "
                + threads
                + " threads, all busy (the limit); retry");
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  /** Runs {@code task} so that it answers 503 without reading the request. */
  private static void overloaded(Runnable task, String why) {
    OVERLOADED.set(why);
    try {
      task.run();
    } finally {
      OVERLOADED.remove();
    }
  }

  /** A request waiting for a thread, since when. */
  private final class Queued implements Runnable {
    private final Runnable task;
    private final long since;

    Queued(Runnable task, long since) {
      this.task = task;
      this.since = since;
    }

    Runnable task() {
      return task;
    }

    long since() {
      return since;
    }

    @Override
    public void run() {
      try {
        task.run();
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  /** Every route is mounted: from now on an unknown path is a 404. */
  public void routesComplete() {
    routesComplete = true;
  }

  /** Requests being served or waiting for a thread now (metrics; tests wait on it). */
  public int inFlight() {
    return inFlight.get();
  }

  /** Requests whose answer is awaited now, holding no thread ({@link Response#later}). */
  public int waiting() {
    return waiting.get();
  }

  /** The most requests awaited at once since the last call (bin/load reports it). */
  public int takeMostWaiting() {
    return mostWaiting.getAndSet(waiting.get());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String baseUrl() {
    return "http://" + host + ":" + port();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      shedder.shutdownNow();
      answerer.shutdownNow();
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
    }
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    String overloaded = OVERLOADED.get();
    if (overloaded != null) {
      try (exchange) {
        // not read or drained: that could block the accepting thread on a slow client
        exchange.getResponseHeaders().set("Connection", "close");
        send(
            exchange,
            new Response(
                503,
                new ApiException(503, "overloaded", overloaded).body(),
                Map.of("Retry-After", "1")));
      }
      return;
    }
    Response response = respond(exchange);
    if (response.body() instanceof Response.Deferred deferred) {
      await(exchange, deferred);
      return;
    }
    answer(exchange, response);
  }

  /** The handler's answer, or the error it became. */
  private Response respond(HttpExchange exchange) {
    try {
      return handle(exchange);
    } catch (Exception e) {
      return failure(exchange, e);
    }
  }

  private static Response failure(HttpExchange exchange, Throwable e) {
    if (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof ApiException api) {
      return new Response(api.status(), api.body(), api.headers());
    }
    log.error(
        "unhandled error on {} {}",
        exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(),
        e);
    return Response.of(500, new ApiException(500, "internal_error", "internal error").body());
  }

  /**
   * Leaves the exchange open, holding no thread, until its answer is ready; then an answer thread
   * sends it. The handler's own waits are bounded; {@link #MAX_AWAIT} only catches a bug.
   */
  private void await(HttpExchange exchange, Response.Deferred deferred) {
    int now = waiting.incrementAndGet();
    mostWaiting.accumulateAndGet(now, Math::max);
    deferred
        .answer()
        .toCompletableFuture()
        .orTimeout(MAX_AWAIT.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (response, error) -> {
              Runnable send =
                  () -> {
                    try {
                      answer(exchange, error == null ? response : failure(exchange, error));
                    } catch (IOException | RuntimeException e) {
                      log.debug("an awaited answer could not be sent", e);
                    } finally {
                      waiting.decrementAndGet();
                    }
                  };
              try {
                answerer.execute(send);
              } catch (java.util.concurrent.RejectedExecutionException e) {
                waiting.decrementAndGet(); // closing
                exchange.close();
              }
            });
  }

  private static void answer(HttpExchange exchange, Response response) throws IOException {
    try (exchange) {
      // A body nobody read (an unknown path, a refused request) is read and dropped first, so the
      // client, perhaps still sending it, gets this answer instead of a reset connection.
      try {
        drain(exchange.getRequestBody());
      } catch (IOException e) {
        // read to its end and closed already
      }
      send(exchange, response);
    }
  }

  private Response handle(HttpExchange exchange) throws Exception {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String rawPath = exchange.getRequestURI().getRawPath();
    List<String> segments = new ArrayList<>();
    for (String s : Route.split(rawPath)) {
      segments.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
    }
    List<Route> snapshot;
    synchronized (this) {
      snapshot = List.copyOf(routes);
    }
    boolean pathKnown = false;
    for (Route route : snapshot) {
      var params = route.match(segments);
      if (params.isEmpty()) {
        continue;
      }
      pathKnown = true;
      if (route.method().equals(method)) {
        var headers = new HashMap<String, List<String>>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        var request =
            new Request(
                method,
                rawPath,
                params.get(),
                parseQuery(exchange.getRequestURI().getRawQuery()),
                headers,
                readBody(exchange));
        // The handler does its work once its caller has a place (WorkGate); the place is given
        // back before the answer is sent, which a slow client may take long to read.
        gate.serving(true);
        try {
          return route.handler().handle(request);
        } finally {
          WorkGate.leave();
          gate.serving(false);
        }
      }
    }
    if (pathKnown) {
      throw new ApiException(405, "method_not_allowed", method + " is not allowed on " + rawPath);
    }
    if (!routesComplete) {
      throw new ApiException(
          503,
          "starting",
          "the service is starting; " + rawPath + " is not served yet",
          List.of(),
          Map.of("Retry-After", "1"));
    }
    throw ApiException.notFound("no such path: " + rawPath);
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    long length;
    try {
      length = declared == null ? -1 : Long.parseLong(declared.trim());
    } catch (NumberFormatException e) {
      throw new ApiException(400, "invalid_request", "Content-Length is not a number");
    }
    try (InputStream in = exchange.getRequestBody()) {
      if (length > MAX_BODY_BYTES) {
        drain(in);
        throw tooLarge();
      }
      if (length >= 0) {
        // the server ends the stream at the declared length: read just that, into one array
        // (reading up to the limit took a 16 KiB buffer for every small body)
        return in.readNBytes((int) length);
      }
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        drain(in);
        throw tooLarge();
      }
      return body;
    }
  }

  /**
   * Reads and drops what is left of a refused body (up to {@link #DRAIN_LIMIT}), so a client still
   * sending it reads the 413 instead of a reset connection. Beyond the limit the connection is
   * closed on it.
   */
  private static void drain(InputStream in) throws IOException {
    if (in.read() < 0) {
      return; // read to its end by the handler, as nearly every body is: no buffer to allocate
    }
    byte[] buffer = new byte[64 * 1024];
    long left = DRAIN_LIMIT - 1;
    int n;
    while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
      left -= n;
    }
  }

  private static ApiException tooLarge() {
    return new ApiException(
        413, "body_too_large", "request body exceeds " + MAX_BODY_BYTES + " bytes");
  }

  private static Map<String, List<String>> parseQuery(String rawQuery) {
    var query = new LinkedHashMap<String, List<String>>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid_request", "malformed query string");
    }
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    if (response.body() == null || response.status() == 204) {
      exchange.sendResponseHeaders(response.status(), -1);
      return;
    }
    byte[] bytes;
    if (response.body() instanceof Response.RawBody raw) {
      exchange.getResponseHeaders().set("Content-Type", raw.contentType());
      bytes = raw.bytes();
    } else {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      bytes = Json.mapper().writeValueAsBytes(response.body());
    }
    exchange.sendResponseHeaders(response.status(), bytes.length);
    writeInSlices(exchange.getResponseBody(), bytes);
  }

  /**
   * The most the JDK server's connection is handed in one write. Its per-connection write buffer
   * starts at 4 KiB and, given more in one write, is replaced by one of twice that write, kept for
   * as long as the connection lives: a 2.9 MB {@code /metrics} answer left 5.8 MB on every
   * kept-alive connection that ever carried one (58 MiB of the live heap in a {@code bin/load} run,
   * 10 connections; docs/BENCHMARKS.md, "What held the live heap"), and a client could pin twice
   * the largest answer on each of thousands of idle connections.
   */
  static final int WRITE_SLICE = 4096;

  /** Writes {@code bytes} to {@code out} at most {@link #WRITE_SLICE} bytes at a time. */
  static void writeInSlices(java.io.OutputStream out, byte[] bytes) throws IOException {
    for (int off = 0; off < bytes.length; off += WRITE_SLICE) {
      out.write(bytes, off, Math.min(WRITE_SLICE, bytes.length - off));
    }
  }
}
