package io.userpipe.local.load;

import io.userpipe.client.CommandFactory;
import io.userpipe.client.Commands;
import io.userpipe.client.CreateUserCommand;
import io.userpipe.client.PlatformClient;
import io.userpipe.client.PlatformClientConfig;
import io.userpipe.client.Result;
import io.userpipe.local.LocalDemo;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.Partitions;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Drives a running pipeline through its Kafka door (the Java client, as the demo platform) or its
 * HTTP door ({@code --door http}) with new users (distinct phones, some twice, some listed names)
 * and measures: users per second through to the projection, create→queryable latency (from the send
 * to the committed {@code user_created} compliance event, which commits with the view), the
 * broker's own produce-and-consume ceiling for records of the same size, the records the pipeline
 * writes per user, and the CPU and memory of the stack's processes. A warm-up phase (10,000 users
 * by default, at the same rate) runs first and is not measured: the JIT, the caches and the OFAC
 * index are warm when the measured users arrive.
 *
 * <pre>
 * LoadGenerator [--users N] [--rate USERS_PER_SECOND (0: flat out)] [--warmup N]
 *               [--door kafka|http] [--concurrency N (HTTP requests in flight)] [--stack-pid PID]
 * </pre>
 */
public final class LoadGenerator {

  /** Records the ceiling is measured over, at least: enough that a fixed cost does not show. */
  private static final int CEILING_RECORDS = 400_000;

  private record Options(
      int users, int rate, int warmup, String door, int concurrency, long stackPid) {}

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    // Idle connections are closed by the client before the server's 30 s idle timer would close
    // them under a request (sun.net.httpserver.idleInterval; the JDK client's default is 30 s too)
    if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
      System.setProperty("jdk.httpclient.keepalive.timeout", "20");
    }
    int users = 20_000;
    int rate = 0;
    int warmup = 10_000;
    String door = "kafka";
    int concurrency = 64;
    long pid = -1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--users" -> users = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--door" -> door = args[++i];
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--stack-pid" -> pid = Long.parseLong(args[++i]);
        default -> {
          System.err.println(
              "usage: load [--users N] [--rate N] [--warmup N] [--door kafka|http] [--concurrency N] [--stack-pid PID]");
          System.exit(2);
        }
      }
    }
    run(AppConfig.fromEnv(), new Options(users, rate, warmup, door, concurrency, pid));
  }

  private static void run(AppConfig config, Options options) throws Exception {
    var serdes = AvroSerdes.from(config);
    var demoCommands = Topics.platformUserCommands(LocalDemo.DEMO_PLATFORM);
    byte[] sample =
        serdes
            .valueSerde(demoCommands)
            .serializer()
            .serialize(
                demoCommands.name(),
                (UserCommand)
                    new CommandFactory(LocalDemo.DEMO_PLATFORM, null, Clock.systemUTC())
                        .prepare(create("2025550000", 0))
                        .value());
    int ceilingRecords = Math.max(options.users() * 4, CEILING_RECORDS);
    System.out.printf(
        "broker ceiling: %,d records of %d bytes...%n", ceilingRecords, sample.length);
    double ceiling = brokerCeiling(config, ceilingRecords, sample.length);
    System.out.printf("broker ceiling: %,.0f records/s produced and consumed%n", ceiling);

    if (options.warmup() > 0) {
      System.out.printf("warm-up: %,d users, not measured...%n", options.warmup());
      var warm = phase(config, serdes, options, 0, options.warmup());
      System.out.printf(
          Locale.ROOT,
          "warm-up: %,d users in %.1f s (p99 %.1f ms)%n",
          warm.latency().getTotalCount(),
          warm.seconds(),
          warm.latency().getValueAtPercentile(99) / 1000.0);
    }
    Map<String, Long> recordsBefore = recordsPerTopic(config);
    Stack before = Stack.of(options.stackPid());
    Map<String, Double> threadsBefore = Stack.cpuByThread(options.stackPid());
    Stack selfBefore = Stack.of(ProcessHandle.current().pid());
    var check = new LoadCheck(config, serdes);
    var measured = phase(config, serdes, options, options.warmup(), options.users());
    Histogram latency = measured.latency();
    double seconds = measured.seconds();
    Stack after = Stack.of(options.stackPid());
    Map<String, Double> threadsAfter = Stack.cpuByThread(options.stackPid());
    Stack selfAfter = Stack.of(ProcessHandle.current().pid());
    Map<String, Long> writtenPerTopic = recordsPerTopic(config);
    writtenPerTopic.replaceAll((topic, end) -> end - recordsBefore.getOrDefault(topic, 0L));
    long written = writtenPerTopic.values().stream().mapToLong(Long::longValue).sum();

    System.out.printf(
        Locale.ROOT,
        "%nusers: %,d in %.1f s: %,.0f users/s end to end%n",
        measured.users(),
        seconds,
        measured.users() / seconds);
    System.out.printf(
        Locale.ROOT,
        "create->queryable: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n",
        latency.getValueAtPercentile(50) / 1000.0,
        latency.getValueAtPercentile(99) / 1000.0,
        latency.getValueAtPercentile(99.9) / 1000.0,
        latency.getMaxValue() / 1000.0);
    if (measured.decided() != null) {
      Histogram decided = measured.decided();
      System.out.printf(
          Locale.ROOT,
          "send->decided (the create's result): p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms%n",
          decided.getValueAtPercentile(50) / 1000.0,
          decided.getValueAtPercentile(99) / 1000.0,
          decided.getValueAtPercentile(99.9) / 1000.0);
    }
    double perUser = (double) written / options.users();
    System.out.printf(
        Locale.ROOT, "records written per user (all topics, changelogs included): %.1f%n", perUser);
    writtenPerTopic.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "  %5.2f  %s%n",
                    (double) e.getValue() / options.users(),
                    e.getKey()));
    System.out.printf(
        Locale.ROOT,
        "broker-bound ceiling for this pipeline: %,.0f users/s (%,.0f records/s / %.1f); reached %.0f%%%n",
        ceiling / perUser,
        ceiling,
        perUser,
        100 * (measured.users() / seconds) / (ceiling / perUser));
    if (before != null && after != null) {
      System.out.printf(
          Locale.ROOT,
          "stack (process %d and %d it started): %.2f cores busy on average, RSS %,d MiB (peak %,d MiB)%n",
          options.stackPid(),
          after.processes() - 1,
          (after.cpuSeconds() - before.cpuSeconds()) / seconds,
          after.rssKib() / 1024,
          after.peakRssKib() / 1024);
    }
    if (!threadsAfter.isEmpty()) {
      // CPU time, unlike latency, hardly moves with what else the machine runs: compare these
      System.out.println("CPU per new user, by thread of the pipeline's process (top 12):");
      threadsAfter.replaceAll((name, cpu) -> cpu - threadsBefore.getOrDefault(name, 0.0));
      threadsAfter.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .limit(12)
          .forEach(
              e ->
                  System.out.printf(
                      Locale.ROOT,
                      "  %6.3f ms  %s%n",
                      1000 * e.getValue() / measured.users(),
                      e.getKey()));
      double door =
          threadsAfter.entrySet().stream()
              .filter(e -> isHttpDoorThread(e.getKey()))
              .mapToDouble(Map.Entry::getValue)
              .sum();
      System.out.printf(
          Locale.ROOT,
          "  %6.3f ms  in the HTTP door's threads (HTTP-Dispatcher, http-#, http-answer-#,"
              + " view-waits-#)%n",
          1000 * door / measured.users());
      System.out.printf(
          Locale.ROOT,
          "  %6.3f ms  in all%n",
          1000
              * threadsAfter.values().stream().mapToDouble(Double::doubleValue).sum()
              / measured.users());
    }
    if (selfBefore != null && selfAfter != null) {
      System.out.printf(
          Locale.ROOT,
          "load generator (on the same cores): %.2f cores busy on average%n",
          (selfAfter.cpuSeconds() - selfBefore.cpuSeconds()) / seconds);
    }
    if (!check.check(measured.creates())) {
      throw new IllegalStateException("the run was not correct under load: see the check above");
    }
  }

  /** A thread of the HTTP door: its server's, its handlers', and its awaited answers'. */
  static boolean isHttpDoorThread(String name) {
    return name.startsWith("http-")
        || name.startsWith("HTTP-Dispatcher")
        || name.startsWith("view-waits-");
  }

  /**
   * What one phase measured: create→queryable latencies (µs), send→decided latencies (µs; null when
   * the door does not show them), its length (first send to last queryable) and the new users it
   * made.
   */
  record Phase(
      Histogram latency,
      Histogram decided,
      double seconds,
      long users,
      List<LoadCheck.Create> creates) {}

  /** The phone of user {@code i}: its own, or (one in twenty) one an earlier user has. */
  static String phone(Random random, int i) {
    return String.format(Locale.ROOT, "2026%06d", random.nextInt(20) == 0 ? i / 2 : i);
  }

  /** Whether user {@code i} bears a name on the SDN list (one in a thousand). */
  static boolean listed(int i) {
    return i % 1000 == 999;
  }

  /** Creates users {@code from} to {@code from + count} through the door the options name. */
  private static Phase phase(
      AppConfig config, AvroSerdes serdes, Options options, int from, int count) throws Exception {
    return switch (options.door()) {
      case "kafka" -> kafkaDoor(config, serdes, from, count, options.rate());
      case "http" ->
          new HttpDoor(
                  "http://127.0.0.1:" + config.getInt(AppConfig.HTTP_PORT, 8080),
                  LocalDemo.DEMO_CLIENT_ID,
                  LocalDemo.DEMO_API_KEY,
                  options.concurrency())
              .run(from, count, options.rate());
      default ->
          throw new IllegalArgumentException("--door is kafka or http, not " + options.door());
    };
  }

  /**
   * Sends the creates of users {@code from} to {@code from + count} through the Java client of the
   * Kafka door, as the demo platform (to its own topic, {@code
   * platform.demo-platform.users.commands}; flat out, or at {@code rate} per second), and follows
   * them until every one is decided (the client's futures, from the platform's results topic) and
   * every new user queryable.
   */
  private static Phase kafkaDoor(AppConfig config, AvroSerdes serdes, int from, int count, int rate)
      throws Exception {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Map<String, String> commandOfUser = new ConcurrentHashMap<>();
    var decided = new AtomicInteger();
    var created = new AtomicInteger();
    var failed = new AtomicInteger();
    Histogram latency = new Histogram(3_600_000_000L, 3);
    // recorded by the client's results thread, read here at the end
    Histogram decidedLatency = new SynchronizedHistogram(3_600_000_000L, 3);
    var following = new CountDownLatch(1);
    var consumer =
        new Thread(
            () ->
                follow(
                    config,
                    serdes,
                    count,
                    decided,
                    created,
                    commandOfUser,
                    sentAt,
                    latency,
                    following),
            "follow");
    consumer.start();
    following.await(); // positioned at the end of the events: nothing sent from now is missed

    long start = System.nanoTime();
    // this run's own idempotency keys: a later run on the same data is not a retry of this one
    String run = UUID.randomUUID().toString();
    List<LoadCheck.Create> creates = new ArrayList<>();
    var random = new Random(from + 1);
    var clientConfig =
        PlatformClientConfig.from(config, LocalDemo.DEMO_PLATFORM)
            // a flat-out run queues many creates: their results may come long after the send
            .resultTimeout(Duration.ofMinutes(10))
            .resultLookBack(Duration.ZERO)
            .build();
    try (var client = PlatformClient.create(clientConfig)) {
      for (int n = 0; n < count; n++) {
        if (rate > 0) {
          long due = start + (long) (n * 1e9 / rate);
          while (System.nanoTime() < due) {
            LockSupport.parkNanos(due - System.nanoTime());
          }
        }
        int i = from + n;
        String phone = phone(random, i);
        var command = create(phone, i).idempotencyKey("load-" + run + "-" + i);
        String commandId = client.commandId(command);
        sentAt.put(commandId, System.nanoTime());
        creates.add(new LoadCheck.Create(commandId, phone));
        client
            .send(command)
            .whenComplete(
                (result, error) -> {
                  if (error != null) {
                    if (failed.getAndIncrement() == 0) {
                      System.err.println("a create failed: " + error);
                    }
                  } else {
                    decidedLatency.recordValue(
                        Math.max(1, (System.nanoTime() - sentAt.get(commandId)) / 1000));
                    if (result instanceof Result.Accepted accepted && accepted.created()) {
                      commandOfUser.put(accepted.userId(), commandId);
                      created.incrementAndGet(); // before decided: follow() reads them in turn
                    }
                  }
                  decided.incrementAndGet();
                });
      }
      consumer.join(); // before the close, which would fail the futures still waiting
    }
    if (failed.get() > 0) {
      System.err.printf("%,d creates failed (no result, or not sent)%n", failed.get());
    }
    return new Phase(
        latency,
        decidedLatency,
        (System.nanoTime() - start) / 1e9,
        latency.getTotalCount(),
        creates);
  }

  private static CreateUserCommand create(String phone, int i) {
    boolean listed = listed(i);
    return Commands.createUser()
        .firstName(listed ? "Nicolas" : "Ada")
        .lastName(listed ? "Maduro Moros" : "Lovelace")
        .email("load" + i + "@example.com")
        .phone("1", phone);
  }

  /**
   * Reads the user_created compliance events (user → queryable) until every create is decided (the
   * client counts them) and every new user queryable; prints progress every 2 s.
   */
  private static void follow(
      AppConfig config,
      AvroSerdes serdes,
      int users,
      AtomicInteger decided,
      AtomicInteger created,
      Map<String, String> commandOfUser,
      Map<String, Long> sentAt,
      Histogram latency,
      CountDownLatch following) {
    var props = new HashMap<String, Object>(TopicCreator.commonClientProps(config));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    var events = serdes.valueSerde(Topics.COMPLIANCE_EVENTS).deserializer();
    Map<String, Long> queryableAt = new HashMap<>();
    long lastReport = System.nanoTime();
    // the latencies since the last progress line: a stall shows where it happened
    Histogram recent = new Histogram(3_600_000_000L, 3);
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      fromTheEnd(consumer, Topics.COMPLIANCE_EVENTS.name());
      following.countDown();
      while (decided.get() < users || latency.getTotalCount() < created.get()) {
        var records = consumer.poll(Duration.ofMillis(50));
        long now = System.nanoTime();
        for (var r : records) {
          if (r.value() == null) {
            continue;
          }
          ComplianceEvent event = events.deserialize(r.topic(), r.headers(), r.value());
          if ("user_created".equals(event.getType())) {
            queryableAt.put(event.getUserId(), now);
          }
        }
        for (var it = queryableAt.entrySet().iterator(); it.hasNext(); ) {
          var q = it.next();
          String command = commandOfUser.get(q.getKey());
          if (command != null) {
            long micros = Math.max(1, (q.getValue() - sentAt.get(command)) / 1000);
            latency.recordValue(micros);
            recent.recordValue(micros);
            it.remove();
          }
        }
        if (System.nanoTime() - lastReport > 2_000_000_000L) {
          System.out.printf(
              "  %,d decided, %,d of %,d new users queryable; since the last line p50 %.0f ms, p99"
                  + " %.0f ms%n",
              decided.get(),
              latency.getTotalCount(),
              created.get(),
              recent.getValueAtPercentile(50) / 1000.0,
              recent.getValueAtPercentile(99) / 1000.0);
          recent.reset();
          lastReport = System.nanoTime();
        }
      }
    }
  }

  /**
   * Assigns every partition of the {@code topics} and positions the consumer at their ends, now.
   */
  private static void fromTheEnd(KafkaConsumer<?, ?> consumer, String... topics) {
    var partitions = Partitions.assignAll(consumer, topics);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // the lazy seek happens here, not at the first poll
  }

  /**
   * Produces {@code count} records of {@code size} bytes to a scratch topic while a consumer
   * assigned to its partitions (no group to join, so no start-up in the figure) reads them.
   */
  private static double brokerCeiling(AppConfig config, int count, int size) throws Exception {
    String topic = "load.ceiling." + UUID.randomUUID();
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      admin
          .createTopics(List.of(new NewTopic(topic, Topics.USER_PARTITIONS, (short) -1)))
          .all()
          .get();
      var producerProps = new HashMap<String, Object>(ClientProps.durableWriter(config, "ceiling"));
      producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      var consumerProps = new HashMap<String, Object>(TopicCreator.commonClientProps(config));
      consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      byte[] value = new byte[size];
      var consumed = new java.util.concurrent.atomic.AtomicInteger();
      var assigned = new java.util.concurrent.CountDownLatch(1);
      Thread reader =
          new Thread(
              () -> {
                try (var consumer =
                    new KafkaConsumer<>(
                        consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                  var partitions = Partitions.assignAll(consumer, topic);
                  consumer.seekToBeginning(partitions);
                  partitions.forEach(consumer::position);
                  assigned.countDown();
                  while (consumed.get() < count) {
                    consumed.addAndGet(consumer.poll(Duration.ofMillis(100)).count());
                  }
                }
              });
      reader.start();
      assigned.await();
      long start = System.nanoTime();
      try (var producer =
          new KafkaProducer<>(
              producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < count; i++) {
          producer.send(new ProducerRecord<>(topic, Integer.toString(i).getBytes(), value));
        }
      }
      reader.join();
      double rate = count / ((System.nanoTime() - start) / 1e9);
      admin.deleteTopics(List.of(topic)).all().get();
      return rate;
    }
  }

  /**
   * The end offsets of every topic but the ceiling's, summed per topic: what has been written to
   * it, transaction markers included.
   */
  private static Map<String, Long> recordsPerTopic(AppConfig config) throws Exception {
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (var d :
          admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get().values()) {
        if (d.name().startsWith("load.ceiling")) {
          continue;
        }
        d.partitions()
            .forEach(
                p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
      }
      Map<String, Long> perTopic = new HashMap<>();
      admin
          .listOffsets(request)
          .all()
          .get()
          .forEach((tp, info) -> perTopic.merge(tp.topic(), info.offset(), Long::sum));
      return perTopic;
    }
  }

  /**
   * CPU seconds and memory of the stack: its process and the processes it started (the schema
   * registry), summed, from /proc (Linux). The peak is the sum of each process's own peak.
   */
  private record Stack(double cpuSeconds, long rssKib, long peakRssKib, int processes) {
    static Stack of(long pid) {
      if (pid <= 0) {
        return null;
      }
      var pids = new java.util.ArrayList<Long>();
      pids.add(pid);
      ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
      double cpu = 0;
      long rss = 0;
      long peak = 0;
      try {
        for (long each : pids) {
          cpu += cpuSecondsIn(Path.of("/proc/" + each + "/stat"));
          for (String line : Files.readAllLines(Path.of("/proc/" + each + "/status"))) {
            if (line.startsWith("VmRSS:")) {
              rss += Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("VmHWM:")) {
              peak += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
          }
        }
        return new Stack(cpu, rss, peak, pids.size());
      } catch (Exception e) {
        return null;
      }
    }

    /** User and system CPU seconds from a /proc stat file (of a process or of one thread). */
    private static double cpuSecondsIn(Path stat) throws java.io.IOException {
      // the fields after the command name, which is in parentheses and may hold spaces
      String[] fields = Files.readString(stat).split("\\) ")[1].split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /**
     * CPU seconds of each thread of the process, by thread name (as the kernel keeps it: the first
     * 15 characters, digits folded into '#' so that numbered threads of one pool add up).
     */
    static Map<String, Double> cpuByThread(long pid) {
      var byName = new HashMap<String, Double>();
      if (pid <= 0) {
        return byName;
      }
      try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
        for (Path task : tasks.toList()) {
          try {
            String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "#");
            byName.merge(name, cpuSecondsIn(task.resolve("stat")), Double::sum);
          } catch (java.io.IOException e) {
            // the thread ended meanwhile
          }
        }
      } catch (java.io.IOException e) {
        return byName;
      }
      return byName;
    }
  }
}
