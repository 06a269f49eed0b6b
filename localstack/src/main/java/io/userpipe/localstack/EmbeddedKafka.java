package io.userpipe.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one), in-process, bound to
 * 127.0.0.1 only. Its data directory survives a close, so a restart on the same directory and port
 * finds its topics again.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Optional<SaslScram> sasl;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Optional<SaslScram> sasl) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.sasl = sasl;
  }

  /** Starts on a free port. */
  public static EmbeddedKafka start(Path dataDir) {
    return start(dataDir, 0);
  }

  /**
   * Starts on the given port (0: any free one) and returns once the broker answers; formats the
   * data dir on first use only, so a restart on the same directory keeps topics and offsets. No
   * authentication, no authorization: the suite's and the local run's broker.
   */
  public static EmbeddedKafka start(Path dataDir, int port) {
    return start(dataDir, port, Optional.empty());
  }

  /**
   * Starts a broker that authenticates and authorizes ({@link SaslScram}): every client must log in
   * with SCRAM-SHA-256, and may do only what an ACL allows it, except the super-user.
   */
  public static EmbeddedKafka startAuthenticated(Path dataDir, SaslScram superUser) {
    return startAuthenticated(dataDir, 0, superUser);
  }

  /** As {@link #startAuthenticated(Path, SaslScram)}, on a given port (0: any free one). */
  public static EmbeddedKafka startAuthenticated(Path dataDir, int port, SaslScram superUser) {
    return start(dataDir, port, Optional.of(superUser));
  }

  /**
   * The environment variables that make {@link #main} start a broker that authenticates, with this
   * super-user (not arguments: a process's arguments are visible to every user of the machine).
   */
  public static final String SUPER_USER_ENV = "EMBEDDED_KAFKA_SUPER_USER";

  public static final String SUPER_USER_PASSWORD_ENV = "EMBEDDED_KAFKA_SUPER_USER_PASSWORD";

  private static EmbeddedKafka start(Path dataDir, int port, Optional<SaslScram> sasl) {
    int brokerPort = port == 0 ? freePort() : port;
    int controllerPort = freePort();
    while (controllerPort == brokerPort) {
      controllerPort = freePort();
    }
    Path logDir = dataDir.resolve("logs");
    Properties props = serverProperties(logDir, brokerPort, controllerPort);
    if (sasl.isPresent()) {
      props.putAll(sasl.get().serverProperties(brokerPort, controllerPort));
    }
    try {
      Files.createDirectories(dataDir);
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(dataDir, props, sasl);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dataDir, e);
    }
    var server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
    var kafka = new EmbeddedKafka(server, "127.0.0.1:" + brokerPort, sasl);
    try {
      server.startup();
      kafka.awaitReady();
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    log.info("Kafka broker up at {}, data in {}", kafka.bootstrapServers(), dataDir);
    return kafka;
  }

  static Properties serverProperties(Path logDir, int brokerPort, int controllerPort) {
    var p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toAbsolutePath().toString());
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "6");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "6");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
    p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
    return p;
  }

  private static void format(Path dataDir, Properties props, Optional<SaslScram> sasl)
      throws IOException {
    Path file = dataDir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, "embedded broker");
    }
    var output = new ByteArrayOutputStream();
    int rc;
    var args =
        new ArrayList<>(
            List.of("format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()));
    // SCRAM users live in the cluster metadata: the super-user's is written at format time, so
    // the broker (which logs in to itself as that user) and the tooling can connect at once
    sasl.ifPresent(s -> args.addAll(List.of("--add-scram", s.formatArgument())));
    try (var print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      rc = StorageTool.execute(args.toArray(String[]::new), print);
    }
    if (rc != 0) {
      throw new IllegalStateException(
          "formatting " + dataDir + " failed: " + output.toString(StandardCharsets.UTF_8));
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    var adminProps = new HashMap<String, Object>(superUserClientProps());
    adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
    try (Admin admin = Admin.create(adminProps)) {
      while (true) {
        try {
          admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
          // not up yet: the listeners open before the broker has caught up with its metadata
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("broker at " + bootstrapServers + " never answered", e);
          }
          sleep(200);
        }
      }
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * What a client needs to connect with the broker's full rights: the address and, on an
   * authenticating broker, the super-user's login (tests and tooling).
   */
  public Map<String, Object> superUserClientProps() {
    var props = new HashMap<String, Object>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    sasl.ifPresent(s -> props.putAll(s.clientProps()));
    return props;
  }

  /**
   * Gives {@code user} a SCRAM-SHA-256 login on an authenticating broker, through the super-user;
   * returns once the broker has it (the user has no ACL, so may do nothing yet).
   */
  public void addScramUser(String user, String password) {
    if (sasl.isEmpty()) {
      throw new IllegalStateException("this broker does not authenticate");
    }
    addScramUser(superUserClientProps(), user, password);
  }

  /**
   * Gives {@code user} a SCRAM-SHA-256 login through an administrator's client settings (a broker
   * in another process), and returns once the user can log in: a credential reaches the broker's
   * authenticator through the metadata log, a moment after it is accepted.
   */
  public static void addScramUser(Map<String, Object> adminProps, String user, String password) {
    try (Admin admin = Admin.create(adminProps)) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
      var userProps = new HashMap<>(adminProps);
      userProps.put("sasl.jaas.config", SaslScram.jaasConfig(user, password));
      userProps.put("default.api.timeout.ms", 10_000);
      userProps.put("request.timeout.ms", 5_000);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try (Admin asUser = Admin.create(userProps)) {
          asUser.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof SaslAuthenticationException)
              || System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(200);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while adding " + user, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot add SCRAM user " + user, e);
    }
  }

  /** Shuts down cleanly (controlled shutdown, logs flushed) and waits for it; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.shutdown();
      server.awaitShutdown();
    }
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs the broker as its own OS process (for tests that kill or bounce it): {@code EmbeddedKafka
   * <data dir> <port>}; prints {@code READY <bootstrap>} when up and stops cleanly on SIGTERM.
   */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2 || !args[1].matches("[0-9]+")) {
      System.err.println(
          "usage: EmbeddedKafka <data dir> <port> (authenticating with "
              + SUPER_USER_ENV
              + " and "
              + SUPER_USER_PASSWORD_ENV
              + " set)");
      System.exit(2);
    }
    String superUser = System.getenv(SUPER_USER_ENV);
    var kafka =
        superUser == null
            ? start(Path.of(args[0]), Integer.parseInt(args[1]))
            : startAuthenticated(
                Path.of(args[0]),
                Integer.parseInt(args[1]),
                new SaslScram(superUser, System.getenv(SUPER_USER_PASSWORD_ENV)));
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.close();
                  stopped.countDown();
                }));
    System.out.println("READY " + kafka.bootstrapServers());
    System.out.flush();
    log.info("broker process up at {}", kafka.bootstrapServers());
    stopped.await();
  }
}
