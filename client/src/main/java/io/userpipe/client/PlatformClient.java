package io.userpipe.client;

import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The Kafka door for one platform's upstream service: sends typed commands ({@link Commands}) to
 * the platform's own topics and answers each with a future of its one result, read from the
 * platform's results topic.
 *
 * <pre>{@code
 * try (var client = PlatformClient.create(PlatformClientConfig.fromEnv("acme"))) {
 *   Result created =
 *       client.send(Commands.createUser().firstName("Ada").lastName("Lovelace")
 *               .email("ada@example.com").phone("1", "2025550123"))
 *           .get();
 * }
 * }</pre>
 *
 * <p>Retries are safe: a builder's command id is deterministic ({@link CommandBuilder}), the
 * service decides a command id once, and a result already read (also one read back from before the
 * client started, {@link PlatformClientConfig#resultLookBack}) answers a retry without sending it
 * again. The producer is idempotent with {@code acks=all}. Thread-safe.
 */
public final class PlatformClient implements AutoCloseable {

  private final PlatformClientConfig config;
  private final CommandFactory factory;
  private final Producer<String, SpecificRecord> producer;
  private final ResultWaiters waiters;
  private final ResultFollower follower;
  private final ScheduledThreadPoolExecutor timer;

  private PlatformClient(PlatformClientConfig config, Clock clock) {
    this.config = config;
    this.factory = new CommandFactory(config.platformId(), config.edgeKeys(), clock);
    var serdes = new AvroSerdes(config.serdeSettings());
    this.waiters = new ResultWaiters(config.rememberedResults());
    var results = Topics.platformCommandResults(config.platformId());
    this.follower =
        new ResultFollower(
            config.kafkaSettings(),
            results.name(),
            serdes.valueSerde(results).deserializer(),
            waiters,
            config.resultLookBack(),
            clock);
    try {
      this.producer = producer(config, serdes);
    } catch (RuntimeException e) {
      follower.close();
      throw e;
    }
    this.timer = new ScheduledThreadPoolExecutor(1, PlatformClient::timerThread);
    this.timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * A client reading its results topic from {@link PlatformClientConfig#resultLookBack} ago.
   *
   * @throws IllegalStateException when the platform's results topic cannot be read
   */
  public static PlatformClient create(PlatformClientConfig config) {
    return new PlatformClient(config, Clock.systemUTC());
  }

  /** The producer's settings: the caller's, made durable whatever they said. */
  static Map<String, Object> producerProps(PlatformClientConfig config) {
    var props = new HashMap<String, Object>(config.kafkaSettings());
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "userpipe-client-" + config.platformId());
    // durable: an acknowledged command is on every in-sync replica, and the producer's own
    // retries never write it twice
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return props;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Producer<String, SpecificRecord> producer(
      PlatformClientConfig config, AvroSerdes serdes) {
    var props = producerProps(config);
    var userCommands = Topics.platformUserCommands(config.platformId());
    return new KafkaProducer<>(
        props,
        serdes.keySerde(userCommands).serializer(),
        // one serializer for both command topics: it registers each topic's own schema
        (Serializer) serdes.valueSerde(userCommands).serializer());
  }

  private static Thread timerThread(Runnable r) {
    var thread = new Thread(r, "userpipe-client-timeouts");
    thread.setDaemon(true);
    return thread;
  }

  public String platformId() {
    return config.platformId();
  }

  /** The command id {@code command} has when this client sends it. */
  public String commandId(CommandBuilder<?> command) {
    return command.commandId(config.platformId());
  }

  /**
   * Sends the command and returns its result. A command whose result this client has already read
   * is not sent again: the future is complete at once. The future fails with {@link
   * ResultTimeoutException} when no result comes within the timeout, with Kafka's exception when
   * the command could not be written, and with {@link IllegalStateException} when the client is
   * closed first.
   *
   * @throws IllegalStateException when a required field is missing, or the command carries a secret
   *     and the client has no edge keys
   */
  public CompletableFuture<Result> send(CommandBuilder<?> command) {
    PreparedCommand prepared = factory.prepare(command);
    CompletableFuture<Result> future = waitFor(prepared.commandId());
    if (future.isDone()) {
      return future;
    }
    try {
      producer.send(
          new ProducerRecord<>(prepared.topic(), prepared.key(), prepared.value()),
          (metadata, e) -> {
            if (e != null) {
              failed(prepared.commandId(), future, e);
            }
          });
    } catch (RuntimeException e) { // serialization, metadata timeout, a closed producer
      failed(prepared.commandId(), future, e);
    }
    return future;
  }

  /**
   * The result of a command sent before (by this client, or by an earlier one within the
   * look-back), without sending anything; it fails like {@link #send}'s when none comes in time.
   */
  public CompletableFuture<Result> result(String commandId) {
    return waitFor(commandId);
  }

  private CompletableFuture<Result> waitFor(String commandId) {
    CompletableFuture<Result> future = waiters.await(commandId);
    if (!future.isDone()) {
      Duration timeout = config.resultTimeout();
      var expiry =
          timer.schedule(
              () -> {
                waiters.forget(commandId, future);
                future.completeExceptionally(new ResultTimeoutException(commandId, timeout));
              },
              timeout.toMillis(),
              TimeUnit.MILLISECONDS);
      future.whenComplete((r, e) -> expiry.cancel(false));
    }
    return future;
  }

  private void failed(String commandId, CompletableFuture<Result> future, Exception e) {
    waiters.forget(commandId, future);
    future.completeExceptionally(e);
  }

  /**
   * Sends what is buffered, stops reading results and fails the futures still waiting. Waits at
   * most a few seconds for the broker.
   */
  @Override
  public void close() {
    try {
      producer.close(Duration.ofSeconds(5));
    } finally {
      follower.close();
      timer.shutdownNow();
      waiters.close(new IllegalStateException("the client was closed before the result came"));
    }
  }
}
