package io.userpipe.local;

import io.userpipe.commands.UserCommandService;
import io.userpipe.ofac.OfacScreener;
import io.userpipe.projections.Projections;
import io.userpipe.projections.rebuild.ReplayBoundary;
import io.userpipe.projections.rebuild.ReplayGate;
import io.userpipe.projections.rebuild.ReplayProgress;
import io.userpipe.projections.rebuild.ViewRebuild;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.SecretHasher;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.BrokerProcess;
import io.userpipe.runtime.testing.Ports;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.SendVerificationToken;
import io.userpipe.schemas.SubmitCompliance;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UpdateUser;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.W9Submission;
import io.userpipe.tin.TinVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A chaos run: the broker and every service in their own OS processes, a load of commands on the
 * Kafka door, kill -9 of a random service at random moments (each restarted), one broker bounce;
 * then the invariants, checked from the data itself: every command has exactly one result, no phone
 * number has two users, no event id appears twice, each user's versions run 1..n without a gap or a
 * repeat, and every view equals a fresh replay of the event log (a view rebuild).
 */
final class ChaosRun {

  /** How hard to shake the pipeline. */
  record Settings(int commands, int kills, boolean bounceBroker, long seed) {}

  /** What the run did and found; every violation count must be zero. */
  record Report(
      int commandsSent,
      int kills,
      int brokerBounces,
      int results,
      int missingResults,
      int duplicateResults,
      int usersCreated,
      int phonesWithTwoUsers,
      int events,
      int duplicateEventIds,
      int versionGaps,
      int viewsCompared,
      int viewMismatches,
      int failedSends,
      long seconds,
      int tinsSubmitted,
      int codesSent,
      int recordsScanned,
      int filesScanned) {

    Report withScan(int tins, int codes, PlaintextScan.Scanned scanned) {
      return new Report(
          commandsSent,
          kills,
          brokerBounces,
          results,
          missingResults,
          duplicateResults,
          usersCreated,
          phonesWithTwoUsers,
          events,
          duplicateEventIds,
          versionGaps,
          viewsCompared,
          viewMismatches,
          failedSends,
          seconds,
          tins,
          codes,
          scanned.records(),
          scanned.files());
    }

    int violations() {
      return failedSends
          + missingResults
          + duplicateResults
          + phonesWithTwoUsers
          + duplicateEventIds
          + versionGaps
          + viewMismatches;
    }
  }

  private static final String PREFIX = "chaos-";
  private static final String TIN = "521438765";
  private static final List<String> PLATFORMS = List.of("chaos-a", "chaos-b");
  private static final Duration READY = Duration.ofSeconds(120);
  private static final List<String> RESPONSES_SEEN =
      java.util.Collections.synchronizedList(new ArrayList<>());

  private final Settings settings;
  private final Random random;
  private final Map<String, String> phoneOfCreate = new ConcurrentHashMap<>();
  private final Map<String, String> platformOfCommand = new ConcurrentHashMap<>();
  private final Set<String> sent = ConcurrentHashMap.newKeySet();
  private final AtomicInteger followUps = new AtomicInteger();
  private final AtomicInteger failedSends = new AtomicInteger();
  private final Set<String> tins = ConcurrentHashMap.newKeySet();

  ChaosRun(Settings settings) {
    this.settings = settings;
    this.random = new Random(settings.seed());
  }

  Report run() throws Exception {
    long started = System.nanoTime();
    Path dir = SharedKafka.tempDir("chaos");
    Path logs = Path.of("target", "chaos-logs", Long.toString(System.currentTimeMillis()));
    ServiceProcess.writeLogbackConfig(logs);
    int brokerPort = Ports.freeLoopbackPort();
    BrokerProcess broker = BrokerProcess.start(dir.resolve("broker"), brokerPort);
    Map<String, String> env = commonEnv(broker.bootstrapServers(), dir);
    AppConfig config = AppConfig.of(env);
    TopicCreator.ensure(config, Topics.all());

    int apiPort = Ports.freeLoopbackPort();
    List<ServiceProcess> services =
        List.of(
            service(
                "ofac-screener",
                OfacScreener.class,
                env,
                dir,
                logs,
                Map.of("HTTP_PORT", Integer.toString(Ports.freeLoopbackPort()))),
            service(
                "user-command-service",
                UserCommandService.class,
                env,
                dir,
                logs,
                Map.of("HTTP_PORT", Integer.toString(Ports.freeLoopbackPort()))),
            service(
                "projections",
                Projections.class,
                env,
                dir,
                logs,
                Map.of(
                    "HTTP_PORT",
                    Integer.toString(apiPort),
                    "APPLICATION_SERVER",
                    "127.0.0.1:" + apiPort)),
            service(
                "tin-verifier",
                TinVerifier.class,
                env,
                dir,
                logs,
                Map.of("HTTP_PORT", Integer.toString(Ports.freeLoopbackPort()))));
    int kills = 0;
    int bounces = 0;
    try {
      for (ServiceProcess s : services) {
        s.start(true, READY);
      }
      say("broker and " + services.size() + " services up");
      var loadDone = new AtomicBoolean();
      ExecutorService background = Executors.newFixedThreadPool(2);
      Future<?> load = background.submit(() -> load(config, loadDone));
      Future<?> followUp = background.submit(() -> followUps(config, loadDone));

      // the chaos: kill -9 a random service at a random moment, start it again; once, the broker
      int bounceAt = settings.bounceBroker() ? settings.kills() / 2 : -1;
      while (kills < settings.kills() || !loadDone.get()) {
        Thread.sleep(1_000 + random.nextInt(4_000));
        if (kills == bounceAt && bounces == 0) {
          say("bouncing the broker");
          broker.stop();
          broker = BrokerProcess.start(dir.resolve("broker"), brokerPort);
          bounces++;
          continue;
        }
        if (kills < settings.kills()) {
          ServiceProcess victim = services.get(random.nextInt(services.size()));
          say("kill -9 " + victim.name() + " (kill " + (kills + 1) + ")");
          victim.kill();
          kills++;
          Thread.sleep(random.nextInt(2_000));
          victim.start(true, READY);
        }
      }
      load.get();
      followUp.get();
      say("load sent; " + kills + " kills, " + bounces + " broker bounces");
      background.shutdownNow();

      awaitResults(config, Duration.ofMinutes(10));
      awaitQuiet(config, Duration.ofMinutes(5));
      say("every processor caught up; checking the invariants");
      Report report = check(config, services.get(2), apiPort, kills, bounces, started);
      say("invariants checked; scanning for secrets in the clear");
      return scanForSecrets(report, config, dir, logs);
    } finally {
      for (ServiceProcess s : services) {
        s.close();
      }
      broker.close();
    }
  }

  private static void say(String what) {
    System.out.println("chaos " + java.time.LocalTime.now().withNano(0) + ": " + what);
  }

  private static ServiceProcess service(
      String name,
      Class<?> main,
      Map<String, String> common,
      Path dir,
      Path logs,
      Map<String, String> own) {
    Map<String, String> env = new HashMap<>(common);
    env.put(AppConfig.STATE_DIR, dir.resolve("state").resolve(name).toString());
    // a restarted process takes its partitions back at once (static membership)
    env.put(AppConfig.GROUP_INSTANCE_ID, name + "-1");
    env.putAll(own);
    return new ServiceProcess(name, main.getName(), env, logs, "running as");
  }

  /** The environment every service process of a test stack shares. */
  static Map<String, String> commonEnv(String bootstrap, Path dir) throws Exception {
    Path reference = dir.resolve("reference-tins.csv");
    Files.writeString(reference, "tin,type,name\n" + TIN + ",ssn,Ada Lovelace\n");
    Map<String, String> env = new HashMap<>();
    env.put(AppConfig.KAFKA_BOOTSTRAP_SERVERS, bootstrap);
    env.put(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url());
    env.put(AppConfig.APP_ID_PREFIX, PREFIX);
    env.put(AppConfig.HTTP_HOST, "127.0.0.1");
    env.put(DataKeys.DATA_KEYS, DataKeys.generateEntry("chaos-1"));
    env.put(SecretHasher.CODE_HASH_KEY, SecretHasher.generateKey());
    env.put(
        Projections.PLATFORMS,
        String.join(
            ",", PLATFORMS.stream().map(p -> PlatformDirectory.entry(p, p, p + "-key")).toList()));
    env.put("ADMIN_TOKEN", "chaos-admin");
    env.put("TIN_REFERENCE_FILE", reference.toString());
    env.put("TIN_PROVIDER_LATENCY", "PT0S");
    env.put("TIN_PROVIDER_SLOW_FRACTION", "0");
    env.put(UserCommandService.SMS_OUTBOX_FILE, dir.resolve("sms-outbox.txt").toString());
    return env;
  }

  private KafkaProducer<String, UserCommand> producer(AppConfig config) {
    var serdes = AvroSerdes.from(config);
    var props = new HashMap<String, Object>(ClientProps.durableWriter(config, "chaos-load"));
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    return new KafkaProducer<>(
        props,
        serdes.keySerde(Topics.USER_COMMANDS).serializer(),
        serdes.valueSerde(Topics.USER_COMMANDS).serializer());
  }

  /** Four fifths creates (some phones twice, on either platform), flat out. */
  private void load(AppConfig config, AtomicBoolean done) {
    int creates = settings.commands() * 4 / 5;
    var rng = new Random(settings.seed() + 1);
    List<String> phones = new ArrayList<>();
    try (var producer = producer(config)) {
      for (int i = 0; i < creates; i++) {
        String phone;
        if (!phones.isEmpty() && rng.nextInt(100) < 15) {
          phone = phones.get(rng.nextInt(phones.size()));
        } else {
          phone = String.format(java.util.Locale.ROOT, "20255%05d", phones.size() % 100_000);
          phones.add(phone);
        }
        String platform = PLATFORMS.get(rng.nextInt(PLATFORMS.size()));
        String commandId = UUID.randomUUID().toString();
        var create =
            CreateUser.newBuilder()
                .setFirstName(i % 500 == 0 ? "Nicolas" : "Ada")
                .setLastName(i % 500 == 0 ? "Maduro Moros" : "Lovelace")
                .setEmail("ada" + i + "@example.com")
                .setCountryCode("1")
                .setPhoneNumber(phone)
                .setMetadata(Map.of())
                .build();
        phoneOfCreate.put(commandId, phone);
        send(producer, "+1" + phone, commandId, platform, null, create);
        if (i % 10_000 == 0) {
          say(String.format("%,d creates sent", i));
        }
      }
      producer.flush();
    } finally {
      done.set(true);
    }
  }

  private void send(
      KafkaProducer<String, UserCommand> producer,
      String key,
      String commandId,
      String platform,
      String userId,
      Object payload) {
    var command =
        UserCommand.newBuilder()
            .setCommandId(commandId)
            .setPlatformId(platform)
            .setIssuedAt(Instant.now())
            .setUserId(userId)
            .setPayload(payload)
            .build();
    platformOfCommand.put(commandId, platform);
    sent.add(commandId);
    producer.send(
        new ProducerRecord<>(Topics.USER_COMMANDS.name(), key, command),
        (metadata, e) -> {
          if (e != null) {
            // the producer gave up (not the pipeline): not a command sent, but counted and reported
            sent.remove(commandId);
            failedSends.incrementAndGet();
          }
        });
  }

  /**
   * The other fifth: for users just created, a W-9 with a TIN, an update or a code, learned from
   * the results as they come.
   */
  private void followUps(AppConfig config, AtomicBoolean loadDone) {
    int wanted = settings.commands() - settings.commands() * 4 / 5;
    var secrets = new CommandSecrets(DataKeys.from(config));
    var serdes = AvroSerdes.from(config);
    var props = new HashMap<String, Object>(TopicCreator.commonClientProps(config));
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "chaos-follow-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    var rng = new Random(settings.seed() + 2);
    try (var producer = producer(config);
        var results =
            new KafkaConsumer<>(
                props,
                serdes.keySerde(Topics.COMMAND_RESULTS).deserializer(),
                serdes.valueSerde(Topics.COMMAND_RESULTS).deserializer())) {
      results.subscribe(List.of(Topics.COMMAND_RESULTS.name()));
      long idleSince = System.nanoTime();
      while (followUps.get() < wanted) {
        var batch = results.poll(Duration.ofMillis(500));
        if (!batch.isEmpty()) {
          idleSince = System.nanoTime();
        } else if (loadDone.get() && System.nanoTime() - idleSince > 60_000_000_000L) {
          break; // no new users to follow up: the creates made fewer than wanted
        }
        for (var record : batch) {
          CommandResult r = record.value();
          if (followUps.get() >= wanted
              || r == null
              || r.getOutcome() != CommandOutcome.ACCEPTED
              || !r.getCreated()
              || !phoneOfCreate.containsKey(r.getCommandId())) {
            continue;
          }
          String commandId = UUID.randomUUID().toString();
          String platform = r.getPlatformId();
          Object payload =
              switch (rng.nextInt(3)) {
                case 0 -> {
                  // mostly TINs of nobody (mismatched), some that match
                  String tin =
                      rng.nextInt(5) == 0
                          ? TIN
                          : String.format(
                              java.util.Locale.ROOT,
                              "%03d%02d%04d",
                              100 + rng.nextInt(565),
                              10 + rng.nextInt(89),
                              1000 + rng.nextInt(8999));
                  tins.add(tin);
                  yield new SubmitCompliance(
                      W9Submission.newBuilder()
                          .setEntityType("individual")
                          .setFirstName("Ada")
                          .setLastName("Lovelace")
                          .setTin(secrets.sealTin(commandId, tin))
                          .build(),
                      null);
                }
                case 1 ->
                    UpdateUser.newBuilder().setEmail("new" + commandId + "@example.com").build();
                default -> new SendVerificationToken();
              };
          send(producer, r.getUserId(), commandId, platform, r.getUserId(), payload);
          followUps.incrementAndGet();
        }
      }
      producer.flush();
    }
  }

  /** Until every command sent has a result. */
  private void awaitResults(AppConfig config, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      Set<String> seen = new HashSet<>();
      TopicDump.readAll(config, Topics.COMMAND_RESULTS).forEach(r -> seen.add(r.key()));
      long missing = sent.stream().filter(id -> !seen.contains(id)).count();
      System.out.printf(
          "chaos: %,d of %,d commands have a result%n", sent.size() - missing, sent.size());
      if (missing == 0) {
        return;
      }
      Thread.sleep(5_000);
    }
  }

  /** Until no Streams group commits anything new for a while: every processor has caught up. */
  private static void awaitQuiet(AppConfig config, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      Map<String, Long> last = null;
      int quietRounds = 0;
      while (System.nanoTime() < deadline && quietRounds < 3) {
        Map<String, Long> now = new HashMap<>();
        for (String group :
            List.of("user-command-service", "projections", "tin-verifier", "ofac-screener")) {
          var offsets =
              admin.listConsumerGroupOffsets(PREFIX + group).partitionsToOffsetAndMetadata().get();
          offsets.forEach((tp, o) -> now.put(group + "/" + tp, o == null ? -1 : o.offset()));
        }
        quietRounds = now.equals(last) ? quietRounds + 1 : 0;
        last = now;
        Thread.sleep(2_000);
      }
    }
  }

  private Report check(
      AppConfig config,
      ServiceProcess projections,
      int apiPort,
      int kills,
      int bounces,
      long started)
      throws Exception {
    // every command has exactly one result
    Map<String, Integer> resultsPerCommand = new HashMap<>();
    Map<String, String> userOfCreate = new HashMap<>();
    int results = 0;
    for (var r : TopicDump.readAll(config, Topics.COMMAND_RESULTS)) {
      results++;
      resultsPerCommand.merge(r.key(), 1, Integer::sum);
      CommandResult result = r.value();
      if (result.getOutcome() == CommandOutcome.ACCEPTED && phoneOfCreate.containsKey(r.key())) {
        userOfCreate.put(r.key(), result.getUserId());
      }
    }
    int missing = (int) sent.stream().filter(id -> !resultsPerCommand.containsKey(id)).count();
    int duplicates = (int) resultsPerCommand.values().stream().filter(n -> n > 1).count();

    // no phone number has two users
    Map<String, Set<String>> usersOfPhone = new HashMap<>();
    userOfCreate.forEach(
        (command, user) ->
            usersOfPhone
                .computeIfAbsent(phoneOfCreate.get(command), p -> new HashSet<>())
                .add(user));
    int phonesWithTwo = (int) usersOfPhone.values().stream().filter(s -> s.size() > 1).count();

    // no event id twice, on any event topic; each user's versions 1..n
    int events = 0;
    int duplicateIds = 0;
    Set<String> ids = new HashSet<>();
    Map<String, List<Long>> versions = new HashMap<>();
    for (var r : TopicDump.readAll(config, Topics.USER_EVENTS)) {
      events++;
      duplicateIds += ids.add("users.events/" + r.value().getEventId()) ? 0 : 1;
      versions.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value().getVersion());
    }
    for (var r : TopicDump.readAll(config, Topics.TIN_VERIFICATIONS)) {
      events++;
      duplicateIds += ids.add("tin/" + r.value().getEventId()) ? 0 : 1;
    }
    for (var r : TopicDump.readAll(config, Topics.OFAC_SCREENINGS)) {
      events++;
      duplicateIds += ids.add("ofac/" + r.value().getEventId()) ? 0 : 1;
    }
    for (var r : TopicDump.readAll(config, Topics.COMPLIANCE_EVENTS)) {
      events++;
      duplicateIds += ids.add("compliance/" + r.value().getEventId()) ? 0 : 1;
    }
    int gaps = 0;
    for (List<Long> v : versions.values()) {
      for (int i = 0; i < v.size(); i++) {
        gaps += v.get(i) == i + 1 ? 0 : 1;
      }
    }

    // every view equals a fresh replay of the event log
    Map<String, String> platformOfUser = new HashMap<>();
    userOfCreate.forEach(
        (command, user) -> platformOfUser.putIfAbsent(user, platformOfCommand.get(command)));
    String api = "http://127.0.0.1:" + apiPort;
    Map<String, String> live = snapshot(api, platformOfUser);
    say(live.size() + " live views read; rebuilding them from the event log");
    projections.stop();
    ReplayBoundary boundary =
        new ViewRebuild(config, Projections.NAME, Clock.systemUTC()).reset(System.out::println);
    projections.start(true, READY);
    try (var progress = new ReplayProgress(config, PREFIX + Projections.NAME, boundary)) {
      progress.follow(
          Duration.ofMillis(500),
          Duration.ofSeconds(5),
          Duration.ofMinutes(10),
          ReplayGate.open(),
          System.out::println);
    }
    Map<String, String> replayed = snapshot(api, platformOfUser);
    say(replayed.size() + " replayed views read");
    int mismatches = 0;
    for (var e : live.entrySet()) {
      if (!e.getValue().equals(replayed.get(e.getKey()))) {
        if (mismatches++ < 5) {
          System.out.printf(
              "chaos: view of %s differs:%n  live   %s%n  replay %s%n",
              e.getKey(), e.getValue(), replayed.get(e.getKey()));
        }
      }
    }
    return new Report(
        sent.size(),
        kills,
        bounces,
        results,
        missing,
        duplicates,
        usersOfPhone.size(),
        phonesWithTwo,
        events,
        duplicateIds,
        gaps,
        live.size(),
        mismatches,
        failedSends.get(),
        (System.nanoTime() - started) / 1_000_000_000L,
        0,
        0,
        0,
        0);
  }

  /**
   * No TIN or one-time code in the clear on any topic, in any service's state or log, or in any
   * answer the API gave; the SMS outbox (the phones) and the provider's data file are the only
   * places they may be.
   */
  private Report scanForSecrets(Report report, AppConfig config, Path dir, Path logs)
      throws Exception {
    Set<String> codes = new HashSet<>();
    Path outbox = dir.resolve("sms-outbox.txt");
    if (Files.exists(outbox)) {
      var m =
          java.util.regex.Pattern.compile("code is ([0-9]{6})").matcher(Files.readString(outbox));
      while (m.find()) {
        codes.add(m.group(1));
      }
    }
    Set<String> secrets = new HashSet<>(codes);
    for (String tin : tins) {
      secrets.add(tin);
      secrets.add(tin.substring(0, 3) + "-" + tin.substring(3, 5) + "-" + tin.substring(5));
    }
    var pattern = PlaintextScan.anyOf(secrets.stream());
    var scanned =
        PlaintextScan.assertNowhere(
            pattern,
            "a TIN or one-time code",
            config.require(AppConfig.KAFKA_BOOTSTRAP_SERVERS),
            List.of(dir.resolve("state"), logs),
            Set.of("sms-outbox.txt", "reference-tins.csv"));
    synchronized (RESPONSES_SEEN) {
      for (String body : RESPONSES_SEEN) {
        if (pattern.foundIn(body)) {
          throw new AssertionError("a TIN or one-time code in an API answer: " + body);
        }
      }
      RESPONSES_SEEN.clear();
    }
    say(
        String.format(
            "scanned %,d records and %,d files for %,d TINs and %,d codes",
            scanned.records(), scanned.files(), tins.size(), codes.size()));
    return report.withScan(tins.size(), codes.size(), scanned);
  }

  /** Every user's view as the API shows it to the platform that created it. */
  private static Map<String, String> snapshot(String api, Map<String, String> platformOfUser)
      throws Exception {
    Map<String, ApiClient> clients = new HashMap<>();
    PLATFORMS.forEach(p -> clients.put(p, new ApiClient(api, p, p + "-key")));
    Map<String, String> out = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (var e : platformOfUser.entrySet()) {
        done.add(
            pool.submit(
                () -> {
                  ApiClient.Answer answer =
                      clients.get(e.getValue()).get("/v2/users/" + e.getKey());
                  for (int i = 0; i < 120 && answer.status() == 503; i++) {
                    Thread.sleep(500);
                    answer = clients.get(e.getValue()).get("/v2/users/" + e.getKey());
                  }
                  out.put(e.getKey(), answer.status() + " " + answer.raw().body());
                  RESPONSES_SEEN.add(answer.raw().body());
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return out;
  }
}
