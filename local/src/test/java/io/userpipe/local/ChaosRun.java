package io.userpipe.local;

import io.userpipe.commands.UserCommandService;
import io.userpipe.commands.sms.TwilioSettings;
import io.userpipe.localstack.EmbeddedKafka;
import io.userpipe.localstack.FakeTwilio;
import io.userpipe.localstack.SaslScram;
import io.userpipe.ofac.OfacScreener;
import io.userpipe.projections.Projections;
import io.userpipe.projections.rebuild.ReplayBoundary;
import io.userpipe.projections.rebuild.ReplayGate;
import io.userpipe.projections.rebuild.ReplayProgress;
import io.userpipe.projections.rebuild.ViewRebuild;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.SecretHasher;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.ClientSecurity;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.platforms.PlatformFollower;
import io.userpipe.runtime.security.KafkaAcls;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.BrokerProcess;
import io.userpipe.runtime.testing.Ports;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.SwitchableProxy;
import io.userpipe.runtime.testing.TopicReader;
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
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A chaos run: the broker and every service in their own OS processes (one or more instances of
 * each), a load of commands on the Kafka door, kill -9 of a random service instance at random
 * moments (each restarted), a schema-registry outage of 30 s, optionally one broker bounce; then
 * the invariants, checked from the data itself: every command has exactly one result, no phone
 * number has two users, no event id appears twice, each user's versions run 1..n without a gap or a
 * repeat, every view equals a fresh replay of the event log (a view rebuild), nothing is in any
 * dead-letter topic, and no secret is in the clear.
 */
final class ChaosRun {

  /**
   * How hard to shake the pipeline.
   *
   * @param instances processes per service, each with its own state directory, group instance id
   *     and HTTP port: with two, a killed instance's tasks can move to the live one
   */
  /**
   * @param authenticated the broker authenticates and authorizes (SASL SCRAM, ACLs): each service
   *     runs with its own login and only the ACLs {@code bin/acls} gives it; the run's own load and
   *     checks use the broker's super-user
   */
  record Settings(
      int commands,
      int kills,
      boolean bounceBroker,
      long seed,
      int instances,
      boolean authenticated) {}

  /** What the run did and found; every violation count must be zero. */
  record Report(
      int commandsSent,
      int kills,
      int brokerBounces,
      int registryOutages,
      int registryRequestsRefused,
      int takeovers,
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
      int deadLetters,
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
          registryOutages,
          registryRequestsRefused,
          takeovers,
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
          deadLetters,
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
          + viewMismatches
          + deadLetters;
    }
  }

  private static final String PREFIX = "chaos-";
  private static final String TIN = "521438765";
  private static final List<String> PLATFORMS = List.of("chaos-a", "chaos-b");
  // a limit, not a measure: on a loaded 2-core machine, a start with the OFAC index takes minutes
  private static final Duration READY = Duration.ofMinutes(5);
  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static final List<String> SERVICES =
      List.of("ofac-screener", "user-command-service", "projections", "tin-verifier");
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
    Optional<SaslScram> superUser =
        settings.authenticated() ? Optional.of(SaslScram.randomSuperUser()) : Optional.empty();
    BrokerProcess broker = BrokerProcess.start(dir.resolve("broker"), brokerPort, superUser);
    // the load and the checks use the registry directly; the services go through a proxy that the
    // run switches off for the outage
    Map<String, String> env = commonEnv(broker.bootstrapServers(), dir);
    superUser.ifPresent(s -> env.putAll(login(s.jaasConfig())));
    AppConfig config = AppConfig.of(env);
    TopicCreator.ensure(config, Topics.all());
    Map<String, String> logins =
        superUser.isPresent() ? secureCluster(config) : Map.of(); // service -> its JAAS config
    SwitchableProxy registry = new SwitchableProxy(SharedRegistry.url());
    Map<String, String> serviceEnv = new HashMap<>(env);
    serviceEnv.put(AppConfig.SCHEMA_REGISTRY_URL, registry.url());
    logins.forEach((service, jaas) -> serviceEnv.put(LOGIN_PREFIX + service, jaas));

    List<ServiceProcess> services = new ArrayList<>();
    List<ServiceProcess> projections = new ArrayList<>();
    int apiPort = -1;
    for (int instance = 1; instance <= settings.instances(); instance++) {
      services.add(service("ofac-screener", OfacScreener.class, instance, serviceEnv, dir, logs));
      services.add(
          service(
              "user-command-service", UserCommandService.class, instance, serviceEnv, dir, logs));
      int port = Ports.freeLoopbackPort();
      int internalPort = Ports.freeLoopbackPort(); // where the other instances ask for its views
      apiPort = apiPort < 0 ? port : apiPort; // the views are read through the first instance
      ServiceProcess p =
          service(
              "projections",
              Projections.class,
              instance,
              serviceEnv,
              dir,
              logs,
              Map.of(
                  AppConfig.HTTP_PORT,
                  Integer.toString(port),
                  AppConfig.INTERNAL_HTTP_PORT,
                  Integer.toString(internalPort),
                  AppConfig.APPLICATION_SERVER,
                  "127.0.0.1:" + internalPort));
      services.add(p);
      projections.add(p);
      services.add(service("tin-verifier", TinVerifier.class, instance, serviceEnv, dir, logs));
    }
    int kills = 0;
    int bounces = 0;
    int outages = 0;
    int takeovers = 0;
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    var starts = new Starts();
    try {
      // side by side, as an orchestrator starts them; later restarts too, while the chaos goes on
      services.forEach(starts::begin);
      starts.awaitAll();
      say("broker and " + services.size() + " service processes up");
      var loadDone = new AtomicBoolean();
      ExecutorService background = Executors.newFixedThreadPool(2);
      Future<?> load = background.submit(() -> load(config, loadDone));
      Future<?> followUp = background.submit(() -> followUps(config, loadDone));

      // the chaos: kill -9 a random service instance at a random moment, start it again; once, the
      // schema registry down for 30 s; once, the broker
      int bounceAt = settings.bounceBroker() ? settings.kills() / 2 : -1;
      int outageAt = settings.kills() / 4;
      // with two instances, one kill leaves its victim down until the group has dropped it, so its
      // tasks move to the live instance (a quick restart takes them back at once: static
      // membership)
      int takeoverAt = settings.instances() > 1 ? settings.kills() - 1 : -1;
      while (kills < settings.kills() || !loadDone.get()) {
        Thread.sleep(1_000 + random.nextInt(4_000));
        if (kills == bounceAt && bounces == 0) {
          say("bouncing the broker");
          broker.stop();
          broker = BrokerProcess.start(dir.resolve("broker"), brokerPort, superUser);
          bounces++;
          continue;
        }
        if (kills == outageAt && outages == 0 && kills < settings.kills()) {
          // the victim restarts into the outage with nothing cached from the registry, so it meets
          // the outage whatever the others have cached; no kill while the registry is down
          ServiceProcess victim = starts.pickRunning(services, random);
          say(
              "kill -9 "
                  + victim.name()
                  + " (kill "
                  + (kills + 1)
                  + "), schema registry down for "
                  + OUTAGE.toSeconds()
                  + " s, "
                  + victim.name()
                  + " restarted into the outage");
          victim.kill();
          kills++;
          registry.down();
          outages++;
          var upAgain = timer.schedule(registry::up, OUTAGE.toMillis(), TimeUnit.MILLISECONDS);
          starts.begin(victim);
          upAgain.get();
          say(
              "schema registry up again; "
                  + registry.refused()
                  + " registry requests refused so far");
          continue;
        }
        if (kills < settings.kills()) {
          ServiceProcess victim = starts.pickRunning(services, random);
          say("kill -9 " + victim.name() + " (kill " + (kills + 1) + ")");
          victim.kill();
          if (kills == takeoverAt) {
            long down = System.nanoTime();
            awaitDroppedFromGroup(config, victim, Duration.ofSeconds(120));
            takeovers++;
            say(
                victim.name()
                    + " dropped from its group after "
                    + (System.nanoTime() - down) / 1_000_000_000L
                    + " s: its tasks moved to the live instance");
          }
          kills++;
          Thread.sleep(random.nextInt(2_000));
          starts.begin(victim);
        }
      }
      starts.awaitAll();
      load.get();
      followUp.get();
      say(
          "load sent; "
              + kills
              + " kills, "
              + outages
              + " registry outages, "
              + bounces
              + " broker bounces");
      background.shutdownNow();

      awaitResults(config, Duration.ofMinutes(10));
      awaitQuiet(config, Duration.ofMinutes(5));
      say("every processor caught up; checking the invariants");
      Report report =
          check(
              config,
              projections,
              apiPort,
              new Chaos(kills, bounces, outages, registry.refused(), takeovers),
              started);
      // printed before the scan, so that a scan that fails does not hide them
      say("invariants checked: " + report + "; scanning for secrets in the clear");
      return scanForSecrets(report, config, dir, logs);
    } finally {
      starts.close();
      timer.shutdownNow();
      for (ServiceProcess s : services) {
        s.close();
      }
      broker.close();
      registry.close();
    }
  }

  /**
   * The starts under way: each in the background, so that one slow restart (a service restoring its
   * stores) does not hold the chaos back; a victim is picked among the processes that run.
   */
  private static final class Starts implements AutoCloseable {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<ServiceProcess, Future<?>> underWay = new ConcurrentHashMap<>();

    void begin(ServiceProcess process) {
      underWay.put(process, threads.submit(() -> startLikeAnOrchestrator(process)));
    }

    /** A random process that is not starting; waits for the starts if every one is. */
    ServiceProcess pickRunning(List<ServiceProcess> processes, Random random) throws Exception {
      underWay.values().removeIf(Future::isDone);
      List<ServiceProcess> running =
          processes.stream().filter(p -> !underWay.containsKey(p)).toList();
      if (running.isEmpty()) {
        awaitAll();
        running = processes;
      }
      return running.get(random.nextInt(running.size()));
    }

    /** Until every start under way is done; fails if one failed. */
    void awaitAll() throws Exception {
      for (var start : List.copyOf(underWay.values())) {
        start.get();
      }
      underWay.clear();
    }

    @Override
    public void close() {
      threads.shutdownNow();
    }
  }

  /** What the chaos did, for the report. */
  private record Chaos(int kills, int bounces, int outages, int refused, int takeovers) {}

  /**
   * Starts the process and, if it exits while starting (a service that cannot start exits with
   * status 1, e.g. when its tasks are not restored within its own start timeout on a loaded
   * machine), starts it again after a pause, as an orchestrator would, until it is up.
   */
  private static void startLikeAnOrchestrator(ServiceProcess victim) {
    long deadline = System.nanoTime() + READY.multipliedBy(2).toNanos();
    while (true) {
      try {
        victim.start(true, READY);
        return;
      } catch (IllegalStateException e) {
        if (victim.isAlive() || System.nanoTime() > deadline) {
          throw e;
        }
        say(victim.name() + " exited while starting (" + e.getMessage() + "); starting it again");
        try {
          Thread.sleep(2_000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * Until the victim's consumer group has no member of its instance any more: the session timed out
   * and a rebalance gave its tasks to the other instance.
   */
  private static void awaitDroppedFromGroup(AppConfig config, ServiceProcess victim, Duration limit)
      throws Exception {
    String group = PREFIX + serviceOf(victim);
    long deadline = System.nanoTime() + limit.toNanos();
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      while (System.nanoTime() < deadline) {
        var members = admin.describeConsumerGroups(List.of(group)).all().get().get(group).members();
        boolean victimIn =
            members.stream()
                .map(m -> m.groupInstanceId().orElse(""))
                // Streams suffixes the instance id with each stream thread's index
                .anyMatch(id -> id.equals(victim.name()) || id.startsWith(victim.name() + "-"));
        if (!victimIn && !members.isEmpty()) {
          return;
        }
        Thread.sleep(1_000);
      }
    }
    throw new AssertionError(victim.name() + " still in group " + group + " after " + limit);
  }

  /** The service an instance's process runs: its name without the instance number. */
  private static String serviceOf(ServiceProcess process) {
    return SERVICES.stream()
        .filter(s -> process.name().startsWith(s + "-"))
        .findFirst()
        .orElseThrow();
  }

  private static void say(String what) {
    System.out.println("chaos " + java.time.LocalTime.now().withNano(0) + ": " + what);
  }

  private static ServiceProcess service(
      String name, Class<?> main, int instance, Map<String, String> common, Path dir, Path logs) {
    return service(
        name,
        main,
        instance,
        common,
        dir,
        logs,
        Map.of("HTTP_PORT", Integer.toString(Ports.freeLoopbackPort())));
  }

  /** Instance {@code instance} of a service: its own state directory, group instance id, port. */
  private static ServiceProcess service(
      String name,
      Class<?> main,
      int instance,
      Map<String, String> common,
      Path dir,
      Path logs,
      Map<String, String> own) {
    String id = name + "-" + instance;
    Map<String, String> env = new HashMap<>(common);
    String login = common.get(LOGIN_PREFIX + name);
    if (login != null) {
      env.put(ClientSecurity.KAFKA_SASL_JAAS_CONFIG, login); // its own, with only its ACLs
    }
    env.keySet().removeIf(k -> k.startsWith(LOGIN_PREFIX));
    env.put(AppConfig.STATE_DIR, dir.resolve("state").resolve(id).toString());
    // a restarted process takes its partitions back at once (static membership)
    env.put(AppConfig.GROUP_INSTANCE_ID, id);
    env.putAll(own);
    // logged once the whole start is done: ofac-screener logs "running as" (Streams up) before its
    // list is in force, and could still fail to start after it
    return new ServiceProcess(id, main.getName(), env, logs, "health, readiness and metrics on");
  }

  /** Where {@link #service} finds a service's own login in the shared environment. */
  private static final String LOGIN_PREFIX = "chaos.login.";

  private static Map<String, String> login(String jaasConfig) {
    return Map.of(
        ClientSecurity.KAFKA_SECURITY_PROTOCOL,
        "SASL_PLAINTEXT",
        ClientSecurity.KAFKA_SASL_MECHANISM,
        SaslScram.MECHANISM,
        ClientSecurity.KAFKA_SASL_JAAS_CONFIG,
        jaasConfig);
  }

  /**
   * With the super-user's {@code config}: a login per service, the ACLs {@code bin/acls} gives
   * each, and the platforms seeded (the doors may read the platforms topic, not write it). Returns
   * each service's JAAS config.
   */
  private static Map<String, String> secureCluster(AppConfig config) throws Exception {
    var adminProps = TopicCreator.commonClientProps(config);
    Map<String, String> logins = new HashMap<>();
    for (String service : KafkaAcls.services()) {
      String password = randomToken();
      EmbeddedKafka.addScramUser(adminProps, service, password);
      logins.put(service, SaslScram.jaasConfig(service, password));
    }
    try (Admin admin = Admin.create(adminProps)) {
      admin.createAcls(KafkaAcls.all(PREFIX, List.of())).all().get(30, TimeUnit.SECONDS);
    }
    try (var seeder = new PlatformFollower(config, AvroSerdes.from(config), "chaos-seed")) {
      seeder.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!seeder.ready()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("platforms not seeded: " + seeder.health());
        }
        Thread.sleep(100);
      }
    }
    return logins;
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
    env.put(DataKeys.EDGE_KEYS, DataKeys.generateEntry("chaos-edge-1"));
    env.put(SecretHasher.CODE_HASH_KEY, SecretHasher.generateKey());
    env.put(
        Projections.PLATFORMS,
        String.join(
            ",", PLATFORMS.stream().map(p -> PlatformDirectory.entry(p, p, p + "-key")).toList()));
    // the services' own mains: secrets of their own, never published values
    env.put(Secret.INTERNAL_TOKEN.key(), randomToken());
    env.put(AppConfig.INTERNAL_HTTP_PORT, "0"); // projections' internal listener; see above
    env.put("TIN_REFERENCE_FILE", reference.toString());
    env.put("TIN_PROVIDER_LATENCY", "PT0S");
    env.put("TIN_PROVIDER_SLOW_FRACTION", "0");
    // the services' own mains are not the local demo: they send through Twilio's API, here a
    // local fake of it that writes each text to the file the tests read codes from
    var twilio =
        FAKE_TWILIOS.computeIfAbsent(dir, d -> FakeTwilio.start(d.resolve("sms-outbox.txt")));
    env.put(TwilioSettings.TWILIO_API_URL, twilio.baseUrl());
    env.put(TwilioSettings.TWILIO_ACCOUNT_SID, "AC00000000000000000000000000000000");
    env.put(TwilioSettings.TWILIO_AUTH_TOKEN, randomToken());
    env.put(TwilioSettings.TWILIO_FROM, "+15005550006");
    return env;
  }

  /** One fake of Twilio's API per test directory, for as long as the test JVM runs. */
  private static final Map<Path, FakeTwilio> FAKE_TWILIOS =
      new java.util.concurrent.ConcurrentHashMap<>();

  static String randomToken() {
    byte[] raw = new byte[32];
    new java.security.SecureRandom().nextBytes(raw);
    return java.util.HexFormat.of().formatHex(raw);
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
      say(String.format("all %,d creates sent", creates));
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
            phoneOfCreate.remove(commandId);
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
    var secrets = new CommandSecrets(DataKeys.edgeFrom(config));
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
      // the creates decided so far: once all are, no new user can come to follow up. Not a quiet
      // spell: a registry outage or a slow restart can hold the results back for minutes
      Set<String> createsDecided = new HashSet<>();
      long idleSince = System.nanoTime();
      while (followUps.get() < wanted) {
        var batch = results.poll(Duration.ofMillis(500));
        if (!batch.isEmpty()) {
          idleSince = System.nanoTime();
        } else if (loadDone.get() && createsDecided.size() >= phoneOfCreate.size()) {
          break; // every create decided: they made fewer users than wanted
        } else if (System.nanoTime() - idleSince > Duration.ofMinutes(10).toNanos()) {
          break; // no result for ten minutes: awaitResults will say what is missing
        }
        for (var record : batch) {
          CommandResult r = record.value();
          if (r != null && phoneOfCreate.containsKey(r.getCommandId())) {
            createsDecided.add(r.getCommandId());
          }
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
      say(String.format("%,d follow-ups sent", followUps.get()));
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
        for (String group : SERVICES) {
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
      AppConfig config, List<ServiceProcess> projections, int apiPort, Chaos chaos, long started)
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
    for (ServiceProcess p : projections) {
      p.stop();
    }
    ReplayBoundary boundary =
        new ViewRebuild(config, Projections.NAME, Clock.systemUTC()).reset(System.out::println);
    for (ServiceProcess p : projections) {
      p.start(true, READY);
    }
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
    int deadLetters = deadLetters(config);
    return new Report(
        sent.size(),
        chaos.kills(),
        chaos.bounces(),
        chaos.outages(),
        chaos.refused(),
        chaos.takeovers(),
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
        deadLetters,
        failedSends.get(),
        (System.nanoTime() - started) / 1_000_000_000L,
        0,
        0,
        0,
        0);
  }

  /**
   * Records in the dead-letter topics: those of the catalogue, and any other {@code .dlq} topic a
   * service created (for a repartition topic). None may be there: the load is all valid, and a
   * registry outage must be retried, never dead-lettered.
   */
  private static int deadLetters(AppConfig config) throws Exception {
    Set<String> dlqs = new java.util.TreeSet<>();
    Topics.all().stream()
        .map(t -> t.name())
        .filter(n -> n.endsWith(Topics.deadLetterName("")))
        .forEach(dlqs::add);
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      admin.listTopics().names().get().stream()
          .filter(n -> n.endsWith(Topics.deadLetterName("")))
          .forEach(dlqs::add);
    }
    String bootstrap = config.require(AppConfig.KAFKA_BOOTSTRAP_SERVERS);
    int total = 0;
    for (String dlq : dlqs) {
      var records = TopicReader.readAll(TopicCreator.commonClientProps(config), dlq);
      total += records.size();
      for (var r : records.subList(0, Math.min(3, records.size()))) {
        StringBuilder headers = new StringBuilder();
        r.headers()
            .forEach(
                h ->
                    headers
                        .append(' ')
                        .append(h.key())
                        .append('=')
                        .append(
                            h.value() == null
                                ? "null"
                                : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
        System.out.printf("chaos: dead letter on %s:%s%n", dlq, headers);
      }
    }
    say(dlqs.size() + " dead-letter topics read: " + total + " records");
    return total;
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
            TopicCreator.commonClientProps(config), // the super-user's login, on a broker with ACLs
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
