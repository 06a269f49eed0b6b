package io.userpipe.runtime.streams;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.TopicCreator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lifecycle of every Kafka Streams service: exactly-once v2 always, dead-letter handlers
 * for poison records, start and wait until RUNNING, health, and a clean close.
 */
public final class StreamsService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamsService.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);
  private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;

  private StreamsService(String name, KafkaStreams streams) {
    this.name = name;
    this.streams = streams;
  }

  public static StreamsService create(
      String serviceName, Topology topology, AppConfig config, Map<String, Object> overrides) {
    var props = properties(serviceName, config, overrides);
    var service = new StreamsService(serviceName, new KafkaStreams(topology, props));
    service.streams.setStateListener(service::onStateChange);
    // A bug that escapes the handlers kills one stream thread; a fresh thread takes its tasks
    // over from the last committed transaction, so nothing is lost or doubled.
    service.streams.setUncaughtExceptionHandler(
        e -> {
          log.error("{}: stream thread died; replacing it", serviceName, e);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    return service;
  }

  static Properties properties(
      String serviceName, AppConfig config, Map<String, Object> overrides) {
    Map<String, Object> p = new HashMap<>(TopicCreator.commonClientProps(config));
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.appIdPrefix() + serviceName);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().resolve(serviceName).toString());
    p.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getInt(AppConfig.COMMIT_INTERVAL_MS, 100));
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(AppConfig.NUM_STREAM_THREADS, 1));
    p.put(
        StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG,
        config.getInt(AppConfig.NUM_STANDBY_REPLICAS, 0));
    p.put(
        StreamsConfig.REPLICATION_FACTOR_CONFIG,
        config.getInt(AppConfig.TOPIC_REPLICATION_FACTOR, -1));
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandlers.OnDeserialization.class);
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandlers.OnProcessing.class);
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandlers.OnProduction.class);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    config
        .find(AppConfig.APPLICATION_SERVER)
        .ifPresent(s -> p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, s));
    config.find(AppConfig.SCHEMA_REGISTRY_URL).ifPresent(url -> p.put("schema.registry.url", url));
    p.putAll(overrides);
    if (!StreamsConfig.EXACTLY_ONCE_V2.equals(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
      throw new IllegalArgumentException(
          serviceName + ": processing.guarantee must stay " + StreamsConfig.EXACTLY_ONCE_V2);
    }
    var props = new Properties();
    props.putAll(p);
    return props;
  }

  private void onStateChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
    state = newState;
    log.info("{}: {} -> {}", name, oldState, newState);
    if (newState == KafkaStreams.State.RUNNING
        || newState == KafkaStreams.State.ERROR
        || newState == KafkaStreams.State.PENDING_SHUTDOWN
        || newState == KafkaStreams.State.NOT_RUNNING) {
      running.countDown();
    }
  }

  /** Starts and blocks until RUNNING; never wipes local state (no cleanUp on a normal start). */
  public void start(Duration timeout) {
    streams.start();
    try {
      if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            name + " did not reach RUNNING within " + timeout + " (state " + state + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + ": interrupted while starting", e);
    }
    if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
      throw new IllegalStateException(name + " failed to start: state " + state);
    }
  }

  public KafkaStreams streams() {
    return streams;
  }

  public KafkaStreams.State state() {
    return state;
  }

  public boolean isHealthy() {
    return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
  }

  /** Closes cleanly when the JVM is asked to stop (SIGTERM, Ctrl-C). */
  public void closeOnShutdown() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, name + "-shutdown"));
  }

  public void close(Duration timeout) {
    streams.close(timeout);
  }

  @Override
  public void close() {
    close(CLOSE_TIMEOUT);
  }
}
