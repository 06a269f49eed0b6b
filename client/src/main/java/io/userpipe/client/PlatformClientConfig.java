package io.userpipe.client;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.serde.RegistryAvroSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * What a {@link PlatformClient} needs: the platform it acts for, the cluster and its client
 * settings (security included), the registry, the edge keys that seal secrets in commands, and how
 * long to wait for a result. Immutable; made by {@link #builder} or from the environment ({@link
 * #fromEnv}), which reads the same standard settings as the services.
 */
public final class PlatformClientConfig {

  /** The platform the client acts for: {@link #fromEnv()}. */
  public static final String PLATFORM_ID = "PLATFORM_ID";

  /** How long a result is waited for (ISO-8601 or milliseconds); 30 s by default. */
  public static final String CLIENT_RESULT_TIMEOUT = "CLIENT_RESULT_TIMEOUT";

  /**
   * How far back the client reads the results topic when it starts (ISO-8601 or milliseconds); 15
   * minutes by default. A command retried after a restart gets no second result from the service,
   * so its answer comes from this look-back: make it cover the retries you make.
   */
  public static final String CLIENT_RESULT_LOOK_BACK = "CLIENT_RESULT_LOOK_BACK";

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_LOOK_BACK = Duration.ofMinutes(15);
  static final int DEFAULT_REMEMBERED = 100_000;

  private final String platformId;
  private final Map<String, Object> kafkaSettings;
  private final Map<String, Object> serdeSettings;
  private final DataKeys edgeKeys;
  private final Duration resultTimeout;
  private final Duration resultLookBack;
  private final int rememberedResults;

  private PlatformClientConfig(Builder b) {
    this.platformId = b.platformId;
    this.kafkaSettings = Map.copyOf(b.kafkaSettings);
    this.serdeSettings = Map.copyOf(b.serdeSettings);
    this.edgeKeys = b.edgeKeys;
    this.resultTimeout = b.resultTimeout;
    this.resultLookBack = b.resultLookBack;
    this.rememberedResults = b.rememberedResults;
  }

  /** A configuration for {@code platformId} on the cluster and registry named. */
  public static Builder builder(
      String platformId, String bootstrapServers, String schemaRegistryUrl) {
    var b = new Builder(platformId);
    b.kafkaSettings.put(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
        Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
    b.serdeSettings.put(
        RegistryAvroSerde.REGISTRY_URL,
        Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl"));
    return b;
  }

  /** From the environment: {@link #from(AppConfig, String)} with {@code PLATFORM_ID}. */
  public static PlatformClientConfig fromEnv() {
    AppConfig env = AppConfig.fromEnv();
    return from(env, env.require(PLATFORM_ID)).build();
  }

  /** From the environment, for {@code platformId}: {@link #from(AppConfig, String)}. */
  public static PlatformClientConfig fromEnv(String platformId) {
    return from(AppConfig.fromEnv(), platformId).build();
  }

  /**
   * The settings the services read, for {@code platformId}: {@code KAFKA_BOOTSTRAP_SERVERS}, the
   * client security settings ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_*}, {@code
   * KAFKA_SSL_*}), {@code SCHEMA_REGISTRY_URL} (and {@code VALUE_SERDE_CLASS}), {@code EDGE_KEYS}
   * and {@code ACTIVE_EDGE_KEY} when set (checked like the services check them: a published key is
   * refused), {@link #CLIENT_RESULT_TIMEOUT} and {@link #CLIENT_RESULT_LOOK_BACK}. A builder, so a
   * caller may add settings.
   */
  public static Builder from(AppConfig config, String platformId) {
    var b = new Builder(platformId);
    b.kafkaSettings.putAll(TopicCreator.commonClientProps(config));
    b.serdeSettings.put(
        RegistryAvroSerde.REGISTRY_URL, config.require(AppConfig.SCHEMA_REGISTRY_URL));
    config
        .find(AppConfig.VALUE_SERDE_CLASS)
        .ifPresent(c -> b.serdeSettings.put(AvroSerdes.VALUE_SERDE_CLASS, c));
    if (config.find(DataKeys.EDGE_KEYS).isPresent()) {
      b.edgeKeys = DataKeys.edgeFrom(config);
    }
    return b.resultTimeout(config.getDuration(CLIENT_RESULT_TIMEOUT, DEFAULT_TIMEOUT))
        .resultLookBack(config.getDuration(CLIENT_RESULT_LOOK_BACK, DEFAULT_LOOK_BACK));
  }

  public String platformId() {
    return platformId;
  }

  /** The Kafka client settings both the producer and the results reader start from. */
  public Map<String, Object> kafkaSettings() {
    return kafkaSettings;
  }

  Map<String, Object> serdeSettings() {
    return serdeSettings;
  }

  /** The edge keys, or null: then no command carrying a secret can be sent. */
  DataKeys edgeKeys() {
    return edgeKeys;
  }

  public Duration resultTimeout() {
    return resultTimeout;
  }

  public Duration resultLookBack() {
    return resultLookBack;
  }

  int rememberedResults() {
    return rememberedResults;
  }

  /** Builds a {@link PlatformClientConfig}. */
  public static final class Builder {
    private final String platformId;
    private final Map<String, Object> kafkaSettings = new HashMap<>();
    private final Map<String, Object> serdeSettings = new HashMap<>();
    private DataKeys edgeKeys;
    private Duration resultTimeout = DEFAULT_TIMEOUT;
    private Duration resultLookBack = DEFAULT_LOOK_BACK;
    private int rememberedResults = DEFAULT_REMEMBERED;

    private Builder(String platformId) {
      this.platformId = Objects.requireNonNull(platformId, "platformId");
    }

    /**
     * Extra Kafka client settings (security, timeouts, client.id...), over the ones given so far.
     * The producer's durability ({@code acks=all}, idempotence) is the client's and not
     * overridable.
     */
    public Builder kafkaSettings(Map<String, ?> settings) {
      kafkaSettings.putAll(settings);
      return this;
    }

    public Builder kafkaSettings(Properties settings) {
      settings.forEach((k, v) -> kafkaSettings.put(String.valueOf(k), v));
      return this;
    }

    /**
     * The edge keys: {@code id:base64-of-32-bytes} entries, comma-separated, as in {@code
     * EDGE_KEYS}; {@code activeKeyId} seals (null: the first).
     */
    public Builder edgeKeys(String spec, String activeKeyId) {
      var settings = new HashMap<String, String>();
      settings.put(DataKeys.EDGE_KEYS, Objects.requireNonNull(spec, "spec"));
      if (activeKeyId != null) {
        settings.put(DataKeys.ACTIVE_EDGE_KEY, activeKeyId);
      }
      // checked like the services' own: a key this repository publishes is refused
      this.edgeKeys = DataKeys.edgeFrom(AppConfig.of(settings));
      return this;
    }

    public Builder resultTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the result timeout must be positive");
      }
      this.resultTimeout = timeout;
      return this;
    }

    /** How far back the results topic is read at the start ({@link #CLIENT_RESULT_LOOK_BACK}). */
    public Builder resultLookBack(Duration lookBack) {
      if (lookBack.isNegative()) {
        throw new IllegalArgumentException("the look-back cannot be negative");
      }
      this.resultLookBack = lookBack;
      return this;
    }

    /** How many results are remembered for retries, the oldest forgotten first. */
    public Builder rememberedResults(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("remember at least one result");
      }
      this.rememberedResults = count;
      return this;
    }

    public PlatformClientConfig build() {
      return new PlatformClientConfig(this);
    }
  }
}
