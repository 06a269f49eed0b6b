package io.userpipe.local.soak;

import io.userpipe.local.LocalDemo;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The soak (docs/RELIABILITY.md, "Soak"): a hostile mix against a running local stack's HTTP API
 * for {@code --minutes}, between two quiet stretches, while a separate well-behaved client creates
 * users at a steady rate and times each from its POST to the first GET of the user that answers
 * 200. The mix: {@code --clients} clients on search, list, get and create (distinct phones, some
 * listed names), slow-loris connections, bodies over 1 MiB, deeply nested JSON and wrong
 * credentials. It samples the stack's RSS and reads its GC time (jstat), checks at the end that
 * every accepted create has its result, and reports each goal as met or not. Every loop is bounded
 * in time and count; every address is loopback.
 *
 * <pre>
 * Soak --stack-pid PID [--minutes N] [--clients N] [--loris N] [--hostile N] [--rate N]
 *      [--quiet-seconds N] [--pause-ms N] [--warmup-seconds N]
 * </pre>
 *
 * The storm comes from one platform ({@link #STORM_CLIENT_ID}) and the well-behaved client is
 * another (the demo platform), so the soak also measures what one platform's flood costs another.
 *
 * <p>Exit status: 0; 1 if an accepted create lost its result; 2 if the stack does not know the
 * storm's platform; 3 if the stack died.
 */
public final class Soak {

  /** A storm client's requests at most, whatever the time: a bound on every loop. */
  private static final int MAX_REQUESTS_PER_CLIENT = 2_000_000;

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration FOLLOW_LIMIT = Duration.ofSeconds(60);
  private static final Duration FINAL_CHECK_LIMIT = Duration.ofSeconds(180);
  private static final long GIB_KIB = 1L << 20;

  /** A well-behaved p99 under the storm at most this many times the quiet one keeps it. */
  static final double KEPT_P99_FACTOR = 1.5;

  private static final String[] SEARCH_NAMES = {
    "Nicolas Maduro Moros", "Ada Lovelace", "John Smith", "Vladimir Putin", "Kim Jong Un",
    "Maria Garcia", "Al Qaida", "Banco Nacional de Cuba", "Joaquin Guzman", "Li Wei"
  };

  record Options(
      long stackPid,
      int port,
      int minutes,
      int clients,
      int loris,
      int hostile,
      int rate,
      int quietSeconds,
      int pauseMillis,
      int warmupSeconds) {}

  /** A create that was accepted (200 naming the user, or 202 naming its status URL). */
  /** An accepted create, and the credentials of the platform that made it. */
  record Accepted(String userId, String statusUrl, String authorization) {}

  /**
   * The storm's platform: another platform than the well-behaved client's, as a flood in production
   * comes from one integrator while others go on working. bin/soak starts the stack with both in
   * {@code PLATFORMS}.
   */
  static final String STORM_CLIENT_ID = "storm";

  static final String STORM_API_KEY = "storm-secret";

  private final Options options;
  private final String base;
  private final String authorization;
  private final Tally storm = new Tally();
  private final Tally warmup = new Tally();
  private final Tally wellBehavedAnswers = new Tally();
  private final Histogram[] wellBehaved = {
    new Histogram(3_600_000_000L, 3),
    new Histogram(3_600_000_000L, 3),
    new Histogram(3_600_000_000L, 3)
  };
  private final Histogram wellBehavedRecent = new Histogram(3_600_000_000L, 3);
  private final Histogram wellBehavedLate = new Histogram(3_600_000_000L, 3);
  private int wellBehavedThreads;
  private final AtomicInteger wellBehavedLost = new AtomicInteger();
  private final Queue<Accepted> accepted = new ConcurrentLinkedQueue<>();
  private final AtomicReferenceArray<String> knownUsers = new AtomicReferenceArray<>(8192);
  private final AtomicLong knownCount = new AtomicLong();
  private final String stormAuthorization;
  private final AtomicInteger stormPhones = new AtomicInteger();
  private final AtomicInteger wellBehavedPhones = new AtomicInteger();
  private final LongAdder lorisOpened = new LongAdder();
  private final Tally loris = new Tally();
  private final List<String> lorisAnswers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<long[]> rssSeries = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean stackDied;

  private long t0;
  private long stormStart;
  private long stormEnd;
  private long quietEnd;

  private Soak(Options options) {
    this.options = options;
    this.base = "http://127.0.0.1:" + options.port();
    this.authorization = basic(LocalDemo.DEMO_CLIENT_ID, LocalDemo.DEMO_API_KEY);
    this.stormAuthorization = basic(STORM_CLIENT_ID, STORM_API_KEY);
  }

  public static void main(String[] args) throws Exception {
    long pid = -1;
    int port = Integer.parseInt(System.getenv().getOrDefault("HTTP_PORT", "8080"));
    int minutes = 10;
    int clients = 64;
    int loris = 16;
    int hostile = 4;
    int rate = 20;
    int quiet = 60;
    int pause = 10;
    int warmup = 120;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--stack-pid" -> pid = Long.parseLong(args[++i]);
        case "--minutes" -> minutes = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--loris" -> loris = Integer.parseInt(args[++i]);
        case "--hostile" -> hostile = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--quiet-seconds" -> quiet = Integer.parseInt(args[++i]);
        case "--pause-ms" -> pause = Integer.parseInt(args[++i]);
        case "--warmup-seconds" -> warmup = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: soak --stack-pid PID [--minutes N] [--clients N] [--loris N] [--hostile N]"
                  + " [--rate N] [--quiet-seconds N] [--pause-ms N] [--warmup-seconds N]");
          System.exit(2);
        }
      }
    }
    if (pid <= 0) {
      System.err.println("--stack-pid is required");
      System.exit(2);
    }
    System.exit(
        new Soak(
                new Options(
                    pid, port, minutes, clients, loris, hostile, rate, quiet, pause, warmup))
            .run());
  }

  private int run() throws Exception {
    System.out.printf(
        Locale.ROOT,
        "soak: %s, stack pid %d; %d s quiet, %d min storm (%d clients, %d slow-loris connections,"
            + " %d hostile-input clients), %d s quiet; a well-behaved client creating %d users/s"
            + " throughout%n",
        base,
        options.stackPid(),
        options.quietSeconds(),
        options.minutes(),
        options.clients(),
        options.loris(),
        options.hostile(),
        options.quietSeconds(),
        options.rate());
    int stormKnown =
        call(client(), new Tally(), "probe", get("/v2/users?limit=1", stormAuthorization)).status();
    if (stormKnown != 200) {
      System.out.println(
          "the stack does not know the storm's platform (client id "
              + STORM_CLIENT_ID
              + ": answered "
              + stormKnown
              + "); bin/soak starts it with both platforms in PLATFORMS");
      return 2;
    }
    warmUp();
    t0 = System.nanoTime();
    stormStart = t0 + TimeUnit.SECONDS.toNanos(options.quietSeconds());
    stormEnd = stormStart + TimeUnit.MINUTES.toNanos(options.minutes());
    quietEnd = stormEnd + TimeUnit.SECONDS.toNanos(options.quietSeconds());
    StackProbe.Gc gcStart = StackProbe.gc(options.stackPid());

    var threads = new ArrayList<Thread>();
    Thread monitor = new Thread(this::monitor, "monitor");
    monitor.setDaemon(true);
    monitor.start();
    Thread wellBehavedClient = new Thread(this::wellBehavedClient, "well-behaved");
    wellBehavedClient.start();

    sleepUntil(stormStart);
    StackProbe.Gc gcStormStart = StackProbe.gc(options.stackPid());
    long stormStartedAt = System.nanoTime();
    System.out.printf(Locale.ROOT, "[%s] the storm begins%n", elapsed());
    HttpClient stormHttp = client();
    for (int i = 0; i < options.clients(); i++) {
      threads.add(start("storm-" + i, () -> stormClient(stormHttp, storm, stormEnd)));
    }
    for (int i = 0; i < options.loris(); i++) {
      threads.add(start("loris-" + i, this::lorisClient));
    }
    HttpClient hostileHttp = client();
    for (int i = 0; i < options.hostile(); i++) {
      int first = i;
      threads.add(start("hostile-" + i, () -> hostileClient(hostileHttp, storm, stormEnd, first)));
    }
    for (Thread t : threads) {
      // each stops by itself at the storm's end; a request in flight then ends within its timeout
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(stormEnd - System.nanoTime()) + 90_000));
    }
    StackProbe.Gc gcStormEnd = StackProbe.gc(options.stackPid());
    double stormSeconds = (System.nanoTime() - stormStartedAt) / 1e9;
    System.out.printf(Locale.ROOT, "[%s] the storm is over%n", elapsed());
    // its last users are followed for up to two minutes after their POST
    wellBehavedClient.join(
        Math.max(1, TimeUnit.NANOSECONDS.toMillis(quietEnd - System.nanoTime()) + 300_000));
    StackProbe.Gc gcEnd = StackProbe.gc(options.stackPid());
    double runSeconds = (System.nanoTime() - t0) / 1e9;

    var toCheck = List.copyOf(accepted);
    System.out.printf(
        Locale.ROOT,
        "[%s] checking that every accepted create (%,d) has its result...%n",
        elapsed(),
        toCheck.size());
    long[] check = stackDied ? new long[] {0, 0, toCheck.size()} : finalCheck(toCheck);
    boolean died = stackDied || !StackProbe.alive(options.stackPid());
    report(
        died,
        toCheck.size(),
        check,
        gcStart == null || gcEnd == null ? null : gcEnd.minus(gcStart),
        runSeconds,
        gcStormStart == null || gcStormEnd == null ? null : gcStormEnd.minus(gcStormStart),
        stormSeconds);
    if (died) {
      return 3;
    }
    return check[2] > 0 ? 1 : 0;
  }

  // ---- the warm-up ----

  /**
   * The storm's mix (its clients and hostile input, no slow loris) for {@code --warmup-seconds}
   * before the first quiet stretch, measured apart: a stack in production meets a storm warm. On 2
   * cores the JIT compiles the storm's code paths for about 2 minutes (its compiler thread then
   * takes a third of the CPU), and a storm on a cold stack measures that as much as the storm.
   */
  private void warmUp() throws InterruptedException {
    if (options.warmupSeconds() <= 0) {
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "warm-up: the storm's mix for %d s, measured apart (the JIT compiles its paths)%n",
        options.warmupSeconds());
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
    HttpClient http = client();
    var threads = new ArrayList<Thread>();
    for (int i = 0; i < options.clients(); i++) {
      threads.add(start("warm-up-" + i, () -> stormClient(http, warmup, end)));
    }
    for (int i = 0; i < options.hostile(); i++) {
      int first = i;
      threads.add(start("warm-up-hostile-" + i, () -> hostileClient(http, warmup, end, first)));
    }
    for (Thread t : threads) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + 90_000));
    }
    System.out.printf(
        Locale.ROOT,
        "warm-up over: %,d requests (%,d answered 200, %,d 429); 5xx other than 503: %s%n",
        warmup.total(),
        warmup.countOutcome("200"),
        warmup.countOutcome("429"),
        warmup.serverErrors("503"));
  }

  // ---- the storm ----

  private void stormClient(HttpClient http, Tally storm, long stormEnd) {
    var random = ThreadLocalRandom.current();
    for (int n = 0;
        n < MAX_REQUESTS_PER_CLIENT && System.nanoTime() < stormEnd && !stackDied;
        n++) {
      int pick = random.nextInt(100);
      if (pick < 20) {
        String name = SEARCH_NAMES[random.nextInt(SEARCH_NAMES.length)];
        call(
            http, storm, "search", get("/v2/ofac/search?name=" + encode(name), stormAuthorization));
      } else if (pick < 40) {
        call(
            http,
            storm,
            "list",
            get("/v2/users?limit=" + (1 + random.nextInt(100)), stormAuthorization));
      } else if (pick < 75) {
        String id = knownUser(random);
        call(http, storm, "get", get("/v2/users/" + id, stormAuthorization));
      } else {
        int i = stormPhones.getAndIncrement();
        String body = createBody("2027", i, i % 100 == 99);
        var answer = call(http, storm, "create", post("/v2/users", body, stormAuthorization));
        noteAccepted(answer, stormAuthorization);
      }
      pause(options.pauseMillis());
    }
  }

  private void hostileClient(HttpClient http, Tally storm, long stormEnd, int first) {
    byte[] oversized = oversizedBody();
    String nested = "{\"first_name\":".repeat(5_000) + "1" + "}".repeat(5_000);
    String wrong = basic(LocalDemo.DEMO_CLIENT_ID, "not-the-secret");
    String unknown = basic("nobody", LocalDemo.DEMO_API_KEY);
    for (int n = first;
        n < first + MAX_REQUESTS_PER_CLIENT && System.nanoTime() < stormEnd && !stackDied;
        n++) {
      switch (n % 5) {
        case 0 ->
            call(
                http,
                storm,
                "oversized body (413)",
                HttpRequest.newBuilder(uri("/v2/users"))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Authorization", stormAuthorization)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(oversized))
                    .build());
        case 1 ->
            call(http, storm, "nested JSON (400)", post("/v2/users", nested, stormAuthorization));
        case 2 -> call(http, storm, "wrong key (401)", get("/v2/users?limit=5", wrong));
        case 3 ->
            call(
                http,
                storm,
                "unknown client (401)",
                post("/v2/users", createBody("2029", n, false), unknown));
        default ->
            call(http, storm, "search, wrong key (401)", get("/v2/ofac/search?name=Li+Wei", wrong));
      }
      pause(100);
    }
  }

  private void lorisClient() {
    byte[] request = SlowLoris.request(options.port(), "/v2/users?limit=1", stormAuthorization, 64);
    for (int n = 0;
        n < MAX_REQUESTS_PER_CLIENT && System.nanoTime() < stormEnd && !stackDied;
        n++) {
      lorisOpened.increment();
      // a byte every 500 ms: the request would take about 90 s to arrive; the server allows 10
      var result =
          SlowLoris.run(options.port(), request, Duration.ofMillis(500), Duration.ofSeconds(60));
      loris.record(
          "slow loris",
          result.ending().name().toLowerCase(Locale.ROOT),
          result.after().toNanos() / 1000);
      if (result.statusLine() != null && lorisAnswers.size() < 5) {
        lorisAnswers.add(result.statusLine());
      }
      if (result.ending() == SlowLoris.Ending.CONNECT_FAILED) {
        pause(1_000);
      }
    }
  }

  // ---- the well-behaved client ----

  private void wellBehavedClient() {
    HttpClient http = client();
    // threads for three seconds of users in flight: beyond that, sends wait for a thread (and the
    // report says how late they were); more would push the stack past its 256 requests in flight
    // and be answered 503 (overloaded), as a run with 264 threads found
    wellBehavedThreads = Math.min(256, 3 * options.rate() + 24);
    ExecutorService pool = Executors.newFixedThreadPool(wellBehavedThreads, daemon("well-behaved"));
    long interval = 1_000_000_000L / Math.max(1, options.rate());
    long due = t0;
    for (int n = 0; n < MAX_REQUESTS_PER_CLIENT && due < quietEnd && !stackDied; n++) {
      sleepUntil(due);
      int phase = due < stormStart ? 0 : due < stormEnd ? 1 : 2;
      int i = wellBehavedPhones.getAndIncrement();
      long dueAt = due;
      pool.execute(() -> createAndRead(http, phase, i, dueAt));
      due += interval;
    }
    pool.shutdown();
    try {
      pool.awaitTermination(
          REQUEST_TIMEOUT.toSeconds() + 2 * FOLLOW_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One user, as a careful client makes it: POST; on a 202, its status URL until decided; then GET
   * the user until it answers 200. The time from the POST's send to that 200; how late the send was
   * (every one of the client's threads busy following earlier users) is noted apart.
   */
  private void createAndRead(HttpClient http, int phase, int i, long due) {
    long sentAt = System.nanoTime();
    synchronized (wellBehaved) {
      wellBehavedLate.recordValue(Math.max(1, (sentAt - due) / 1000));
    }
    var answer =
        call(
            http,
            wellBehavedAnswers,
            "create",
            post("/v2/users", createBody("2028", i, false), authorization));
    Accepted a = noteAccepted(answer, authorization);
    if (a == null) {
      wellBehavedLost.incrementAndGet();
      return;
    }
    long deadline = System.nanoTime() + FOLLOW_LIMIT.toNanos();
    String userId =
        a.userId() != null ? a.userId() : followStatus(http, wellBehavedAnswers, a, deadline);
    if (userId == null
        || userId.isEmpty()
        || !readable(http, wellBehavedAnswers, userId, authorization, deadline)) {
      wellBehavedLost.incrementAndGet();
      return;
    }
    long micros = (System.nanoTime() - sentAt) / 1000;
    synchronized (wellBehaved) {
      wellBehaved[phase].recordValue(Math.max(1, micros));
      wellBehavedRecent.recordValue(Math.max(1, micros));
    }
  }

  /** The user a command's status URL names once decided; "" if rejected; null if not in time. */
  private String followStatus(HttpClient http, Tally tally, Accepted a, long deadline) {
    do { // once at least, even past the deadline
      var answer = call(http, tally, "command status", get(a.statusUrl(), a.authorization()));
      if (answer.status() == 200) {
        if (answer.body().contains("\"status\":\"rejected\"")) {
          return "";
        }
        return field(answer.body(), "user_id");
      }
      pause(50);
    } while (System.nanoTime() < deadline);
    return null;
  }

  /** Whether a GET of the user answers 200 before the deadline. */
  private boolean readable(
      HttpClient http, Tally tally, String userId, String authorization, long deadline) {
    do { // once at least, even past the deadline
      if (call(http, tally, "get user", get("/v2/users/" + userId, authorization)).status()
          == 200) {
        return true;
      }
      pause(20);
    } while (System.nanoTime() < deadline);
    return false;
  }

  // ---- the end: every accepted create's result ----

  /** [resolved with a readable user, rejected when decided, missing]. */
  private long[] finalCheck(List<Accepted> toCheck) throws InterruptedException {
    HttpClient http = client();
    Tally tally = new Tally();
    long deadline = System.nanoTime() + FINAL_CHECK_LIMIT.toNanos();
    var readableUsers = new LongAdder();
    var rejected = new LongAdder();
    var missing = new ConcurrentLinkedQueue<Accepted>();
    var work = new ConcurrentLinkedQueue<>(toCheck);
    var workers = new ArrayList<Thread>();
    for (int w = 0; w < 32; w++) {
      workers.add(
          start(
              "check-" + w,
              () -> {
                Accepted a;
                while ((a = work.poll()) != null) {
                  String userId =
                      a.userId() != null ? a.userId() : followStatus(http, tally, a, deadline);
                  if ("".equals(userId)) {
                    rejected.increment();
                  } else if (userId != null
                      && readable(http, tally, userId, a.authorization(), deadline)) {
                    readableUsers.increment();
                  } else {
                    missing.add(a);
                  }
                }
              }));
    }
    for (Thread t : workers) {
      t.join(FINAL_CHECK_LIMIT.toMillis() + 60_000);
    }
    missing.stream().limit(5).forEach(m -> System.out.println("  missing: " + m));
    return new long[] {readableUsers.sum(), rejected.sum(), missing.size() + work.size()};
  }

  // ---- watching the stack ----

  private void monitor() {
    long nextProgress = t0 + TimeUnit.SECONDS.toNanos(30);
    long sample = t0;
    while (System.nanoTime() < quietEnd + FINAL_CHECK_LIMIT.toNanos() + 120_000_000_000L) {
      long pipeline = StackProbe.rssKib(options.stackPid());
      if (pipeline < 0 || !StackProbe.alive(options.stackPid())) {
        stackDied = true;
        System.out.printf(
            Locale.ROOT, "[%s] THE STACK (pid %d) IS GONE%n", elapsed(), options.stackPid());
        return;
      }
      long all =
          StackProbe.withDescendants(options.stackPid()).stream()
              .mapToLong(StackProbe::rssKib)
              .filter(v -> v > 0)
              .sum();
      rssSeries.add(new long[] {(System.nanoTime() - t0) / 1_000_000_000L, pipeline, all});
      if (System.nanoTime() >= nextProgress) {
        progress(pipeline, all);
        nextProgress += TimeUnit.SECONDS.toNanos(30);
      }
      sample += TimeUnit.SECONDS.toNanos(5);
      sleepUntil(sample);
    }
  }

  private void progress(long pipelineKib, long allKib) {
    String p99;
    long n;
    synchronized (wellBehaved) {
      n = wellBehavedRecent.getTotalCount();
      p99 = Tally.millis(wellBehavedRecent, 99);
      wellBehavedRecent.reset();
    }
    long requests = 0;
    for (String k : new String[] {"search", "list", "get", "create"}) {
      requests += storm.count(k);
    }
    System.out.printf(
        Locale.ROOT,
        "[%s %s] RSS %,d MiB (pipeline %,d); storm requests %,d (creates %,d, 429s %,d); hostile %,d;"
            + " slow loris %,d opened, %,d closed by the server; well-behaved: %,d queryable in the"
            + " last 30 s, p99 %s ms; load average %s%n",
        elapsed(),
        phaseName(System.nanoTime()),
        allKib / 1024,
        pipelineKib / 1024,
        requests,
        storm.count("create"),
        storm.count("search", "429"),
        storm.count("oversized body (413)")
            + storm.count("nested JSON (400)")
            + storm.count("wrong key (401)")
            + storm.count("unknown client (401)")
            + storm.count("search, wrong key (401)"),
        lorisOpened.sum(),
        loris.count("slow loris", "closed_by_server"),
        n,
        p99,
        loadAverage());
  }

  // ---- the report ----

  private void report(
      boolean died,
      long acceptedCount,
      long[] check,
      StackProbe.Gc gcRun,
      double runSeconds,
      StackProbe.Gc gcStorm,
      double stormSeconds) {
    System.out.println();
    System.out.println("==== soak report ====");
    System.out.printf(
        Locale.ROOT,
        "%s; stack pid %d; %d min storm between two %d s quiet stretches%n",
        Instant.now(),
        options.stackPid(),
        options.minutes(),
        options.quietSeconds());

    System.out.println();
    System.out.println("RSS (pipeline and registry / pipeline alone), MiB, every 30 s:");
    long maxAll = 0;
    long maxPipeline = 0;
    var line = new StringBuilder();
    int perLine = 0;
    for (long[] s : rssSeries) {
      maxAll = Math.max(maxAll, s[2]);
      maxPipeline = Math.max(maxPipeline, s[1]);
      if (s[0] % 30 < 5) {
        line.append(
            String.format(Locale.ROOT, "  %4d s %,5d/%,5d", s[0], s[2] / 1024, s[1] / 1024));
        if (++perLine == 5) {
          System.out.println(line);
          line.setLength(0);
          perLine = 0;
        }
      }
    }
    if (line.length() > 0) {
      System.out.println(line);
    }
    System.out.printf(
        Locale.ROOT,
        "  max: %,d MiB (pipeline alone %,d MiB), %d samples every 5 s%n",
        maxAll / 1024,
        maxPipeline / 1024,
        rssSeries.size());

    System.out.println();
    System.out.println("GC of the pipeline's JVM (jstat -gc; pauses):");
    double stormShare = gcLine("storm", gcStorm, stormSeconds);
    gcLine("whole run", gcRun, runSeconds);

    System.out.println();
    System.out.println("The storm's answers:");
    storm.table().forEach(l -> System.out.println("  " + l));
    System.out.println("Slow loris (time from the first byte to the end of the connection):");
    loris.table().forEach(l -> System.out.println("  " + l));
    if (!lorisAnswers.isEmpty()) {
      System.out.println("  answers the server gave a slow loris: " + lorisAnswers);
    }
    System.out.println("The well-behaved client's requests:");
    wellBehavedAnswers.table().forEach(l -> System.out.println("  " + l));
    var serverErrors = storm.serverErrors("503");
    serverErrors.putAll(wellBehavedAnswers.serverErrors("503"));
    if (!serverErrors.isEmpty()) {
      System.out.println("5xx answers other than 503 (a defect): " + serverErrors);
    }

    System.out.println();
    System.out.println(
        "Well-behaved create->queryable (POST to the first GET of the user that answers 200):");
    String[] phases = {"quiet before", "storm", "quiet after"};
    double normal = Double.MAX_VALUE;
    for (int p = 0; p < 3; p++) {
      Histogram h = wellBehaved[p];
      System.out.printf(
          Locale.ROOT,
          "  %-13s %,7d users  p50 %8s ms  p99 %8s ms  max %8s ms%n",
          phases[p],
          h.getTotalCount(),
          Tally.millis(h, 50),
          Tally.millis(h, 99),
          h.getTotalCount() == 0 ? "-" : Tally.millis(h.getMaxValue()));
      if (p != 1 && h.getTotalCount() >= 100) {
        normal = Math.min(normal, h.getValueAtPercentile(99));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "  POSTs sent late (all %d of the client's threads busy following earlier users): p50 %s ms,"
            + " p99 %s ms, max %s ms%n",
        wellBehavedThreads,
        Tally.millis(wellBehavedLate, 50),
        Tally.millis(wellBehavedLate, 99),
        wellBehavedLate.getTotalCount() == 0 ? "-" : Tally.millis(wellBehavedLate.getMaxValue()));
    System.out.printf(
        Locale.ROOT,
        "  not queryable within %d s (or refused): %,d%n",
        FOLLOW_LIMIT.toSeconds(),
        wellBehavedLost.get());

    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Accepted creates (200 or 202): %,d; readable users %,d, rejected when decided %,d, missing %,d%n",
        acceptedCount,
        check[0],
        check[1],
        check[2]);

    System.out.println();
    System.out.println("Goals:");
    goal(
        "the stack stays at or under 1 GiB RSS (pipeline and registry)",
        maxAll <= GIB_KIB,
        String.format(Locale.ROOT, "max %,d MiB", maxAll / 1024));
    goal(
        "under 5% of the time in GC during the storm",
        stormShare >= 0 && stormShare < 5,
        stormShare < 0 ? "not measured" : String.format(Locale.ROOT, "%.2f%%", stormShare));
    double stormP99 =
        wellBehaved[1].getTotalCount() == 0 ? -1 : wellBehaved[1].getValueAtPercentile(99);
    goal(
        "well-behaved create->queryable p99 in the storm at most "
            + KEPT_P99_FACTOR
            + "x the quiet one",
        normal != Double.MAX_VALUE
            && stormP99 >= 0
            && stormP99 <= KEPT_P99_FACTOR * normal
            && wellBehavedLost.get() == 0,
        normal == Double.MAX_VALUE || stormP99 < 0
            ? "not measured"
            : String.format(
                Locale.ROOT,
                "storm p99 %s ms, quiet p99 %s ms (%.2fx); %d not queryable",
                Tally.millis((long) stormP99),
                Tally.millis((long) normal),
                stormP99 / normal,
                wellBehavedLost.get()));
    goal(
        "every accepted create has its result",
        check[2] == 0 && !died,
        String.format(Locale.ROOT, "%,d missing", check[2]));
    goal("the stack stayed up", !died, died ? "it died" : "alive");
    goal(
        "no 5xx but 503 (overloaded)",
        serverErrors.isEmpty(),
        serverErrors.isEmpty() ? "none" : serverErrors.toString());
  }

  /** Prints a GC line; the share of the time in GC pauses, in percent (-1 if not measured). */
  private static double gcLine(String what, StackProbe.Gc gc, double seconds) {
    if (gc == null) {
      System.out.printf("  %s: not measured (jstat failed)%n", what);
      return -1;
    }
    double share = 100 * gc.totalSeconds() / seconds;
    System.out.printf(
        Locale.ROOT,
        "  %-9s %.2f s of %.0f s in GC = %.2f%%: %,d young (%.2f s), %,d full (%.2f s), %,d concurrent-cycle pauses (%.2f s)%n",
        what + ":",
        gc.totalSeconds(),
        seconds,
        share,
        gc.young(),
        gc.youngSeconds(),
        gc.full(),
        gc.fullSeconds(),
        gc.concurrent(),
        gc.concurrentSeconds());
    return share;
  }

  private static void goal(String goal, boolean met, String figure) {
    System.out.printf("  %-7s  %s: %s%n", met ? "MET" : "NOT MET", goal, figure);
  }

  // ---- HTTP ----

  record Answer(int status, String body) {}

  /** Sends a request and records its answer under {@code kind}; status 0 when there was none. */
  private Answer call(HttpClient http, Tally tally, String kind, HttpRequest request) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      tally.record(kind, response.statusCode(), (System.nanoTime() - start) / 1000);
      return new Answer(response.statusCode(), response.body());
    } catch (HttpTimeoutException e) {
      tally.record(kind, "timeout", (System.nanoTime() - start) / 1000);
    } catch (java.io.IOException e) {
      tally.record(kind, "io-error", (System.nanoTime() - start) / 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Answer(0, "");
  }

  /** Notes an accepted create (200 naming the user, 202 naming its status); null if not one. */
  private Accepted noteAccepted(Answer answer, String by) {
    Accepted a = null;
    if (answer.status() == 200) {
      String id = field(answer.body(), "id");
      if (id != null) {
        a = new Accepted(id, null, by);
        if (by.equals(stormAuthorization)) { // the storm reads its own platform's users
          knownUsers.set((int) (knownCount.getAndIncrement() % knownUsers.length()), id);
        }
      }
    } else if (answer.status() == 202) {
      String status = field(answer.body(), "status_url");
      if (status != null) {
        a = new Accepted(null, status, by);
      }
    }
    if (a != null) {
      accepted.add(a);
    }
    return a;
  }

  private String knownUser(ThreadLocalRandom random) {
    long known = knownCount.get();
    String id =
        known == 0
            ? null
            : knownUsers.get((int) (random.nextLong(Math.min(known, knownUsers.length()))));
    return id != null ? id : "usr_" + java.util.UUID.randomUUID(); // unknown: a 404
  }

  /** The value of a string field of a flat JSON answer, or null. */
  static String field(String json, String name) {
    String key = "\"" + name + "\":\"";
    int at = json.indexOf(key);
    if (at < 0) {
      return null;
    }
    at += key.length();
    int end = json.indexOf('"', at);
    return end < 0 ? null : json.substring(at, end);
  }

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private URI uri(String pathAndQuery) {
    return URI.create(base + pathAndQuery);
  }

  private HttpRequest get(String pathAndQuery, String auth) {
    return HttpRequest.newBuilder(uri(pathAndQuery))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", auth)
        .build();
  }

  private HttpRequest post(String path, String body, String auth) {
    return HttpRequest.newBuilder(uri(path))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", auth)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static String createBody(String prefix, int i, boolean listed) {
    return String.format(
        Locale.ROOT,
        "{\"first_name\":\"%s\",\"last_name\":\"%s\",\"email\":\"soak%s-%d@example.com\","
            + "\"country_code\":\"1\",\"phone_number\":\"%s%06d\"}",
        listed ? "Nicolas" : "Ada",
        listed ? "Maduro Moros" : "Lovelace",
        prefix,
        i,
        prefix,
        i % 1_000_000);
  }

  /** A create whose last name makes the body 1 MiB and 64 KiB: over the limit. */
  private static byte[] oversizedBody() {
    return ("{\"first_name\":\"Ada\",\"last_name\":\"" + "x".repeat((1 << 20) + (64 << 10)) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String basic(String user, String key) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + key).getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ---- time ----

  private String elapsed() {
    return String.format(Locale.ROOT, "%4d s", (System.nanoTime() - t0) / 1_000_000_000L);
  }

  private String phaseName(long now) {
    return now < stormStart ? "quiet" : now < stormEnd ? "storm" : "quiet";
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  private static void pause(long millis) {
    if (millis > 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
  }

  private static Thread start(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    var n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
