package io.userpipe.runtime.kafka;

import io.userpipe.runtime.config.AppConfig;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * How every Kafka client of this code base (producers, consumers, Streams and its internal clients,
 * admin, the CLIs, the dead-letter writers) authenticates to the cluster: the standard client
 * security settings, each from one environment variable named after it. Only these variables are
 * read, never a generic {@code KAFKA_*} pass-through: a setting nobody listed here cannot slip in,
 * and the secrets among them are known by name.
 *
 * <p>The secrets (the JAAS config, which holds the SASL password, and the SSL passwords) are handed
 * to the clients as {@link Password} values, which Kafka accepts for its password settings and
 * prints as {@code [hidden]}: whoever logs a client's properties, Kafka's own config dump included,
 * never prints one.
 */
public final class ClientSecurity {

  public static final String KAFKA_SECURITY_PROTOCOL = "KAFKA_SECURITY_PROTOCOL";
  public static final String KAFKA_SASL_MECHANISM = "KAFKA_SASL_MECHANISM";
  public static final String KAFKA_SASL_JAAS_CONFIG = "KAFKA_SASL_JAAS_CONFIG";
  public static final String KAFKA_SSL_TRUSTSTORE_LOCATION = "KAFKA_SSL_TRUSTSTORE_LOCATION";
  public static final String KAFKA_SSL_TRUSTSTORE_PASSWORD = "KAFKA_SSL_TRUSTSTORE_PASSWORD";
  public static final String KAFKA_SSL_TRUSTSTORE_TYPE = "KAFKA_SSL_TRUSTSTORE_TYPE";
  public static final String KAFKA_SSL_KEYSTORE_LOCATION = "KAFKA_SSL_KEYSTORE_LOCATION";
  public static final String KAFKA_SSL_KEYSTORE_PASSWORD = "KAFKA_SSL_KEYSTORE_PASSWORD";
  public static final String KAFKA_SSL_KEYSTORE_TYPE = "KAFKA_SSL_KEYSTORE_TYPE";
  public static final String KAFKA_SSL_KEY_PASSWORD = "KAFKA_SSL_KEY_PASSWORD";

  /**
   * {@code https} (Kafka's default) checks the broker's host name against its certificate; {@code
   * none} turns that off (an empty value cannot be told from an unset one in the environment).
   */
  public static final String KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM =
      "KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM";

  /** Environment variable to client property, in the order the README lists them. */
  static final Map<String, String> SETTINGS = settings();

  /** The settings that are secrets: passed as {@link Password}, never printed. */
  static final Set<String> SECRETS =
      Set.of(
          KAFKA_SASL_JAAS_CONFIG,
          KAFKA_SSL_TRUSTSTORE_PASSWORD,
          KAFKA_SSL_KEYSTORE_PASSWORD,
          KAFKA_SSL_KEY_PASSWORD);

  private ClientSecurity() {}

  /** The environment variables read, in the README's order (docker-compose passes each). */
  public static Set<String> keys() {
    return Collections.unmodifiableSet(SETTINGS.keySet());
  }

  private static Map<String, String> settings() {
    var m = new LinkedHashMap<String, String>();
    m.put(KAFKA_SECURITY_PROTOCOL, CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
    m.put(KAFKA_SASL_MECHANISM, SaslConfigs.SASL_MECHANISM);
    m.put(KAFKA_SASL_JAAS_CONFIG, SaslConfigs.SASL_JAAS_CONFIG);
    m.put(KAFKA_SSL_TRUSTSTORE_LOCATION, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
    m.put(KAFKA_SSL_TRUSTSTORE_PASSWORD, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG);
    m.put(KAFKA_SSL_TRUSTSTORE_TYPE, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG);
    m.put(KAFKA_SSL_KEYSTORE_LOCATION, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG);
    m.put(KAFKA_SSL_KEYSTORE_PASSWORD, SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG);
    m.put(KAFKA_SSL_KEYSTORE_TYPE, SslConfigs.SSL_KEYSTORE_TYPE_CONFIG);
    m.put(KAFKA_SSL_KEY_PASSWORD, SslConfigs.SSL_KEY_PASSWORD_CONFIG);
    m.put(
        KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM,
        SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG);
    return Collections.unmodifiableMap(m);
  }

  /**
   * The client properties the environment asks for; empty when none is set (a plaintext cluster).
   *
   * @throws IllegalStateException on a setting that cannot work: an unknown protocol, SASL without
   *     a JAAS config, or SASL or SSL settings for a protocol that would ignore them (credentials
   *     that are set but silently unused would leave a client talking plaintext)
   */
  public static Map<String, Object> props(AppConfig config) {
    var props = new HashMap<String, Object>();
    for (var setting : SETTINGS.entrySet()) {
      config
          .find(setting.getKey())
          .ifPresent(
              value ->
                  props.put(
                      setting.getValue(),
                      SECRETS.contains(setting.getKey()) ? new Password(value) : value));
    }
    String protocol = protocol(config);
    if (props.containsKey(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)) {
      props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
    }
    if ("none"
        .equalsIgnoreCase(config.find(KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM).orElse(""))) {
      props.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
    }
    boolean sasl = protocol.startsWith("SASL_");
    boolean ssl = protocol.endsWith("SSL");
    if (sasl && config.find(KAFKA_SASL_JAAS_CONFIG).isEmpty()) {
      throw new IllegalStateException(
          KAFKA_SECURITY_PROTOCOL
              + " is "
              + protocol
              + " but "
              + KAFKA_SASL_JAAS_CONFIG
              + " is not set: set it to the client's login, e.g."
              + " org.apache.kafka.common.security.scram.ScramLoginModule required"
              + " username=\"...\" password=\"...\";");
    }
    if (!sasl) {
      refuseIfSet(config, protocol, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG);
    }
    if (!ssl) {
      refuseIfSet(
          config,
          protocol,
          SETTINGS.keySet().stream()
              .filter(k -> k.startsWith("KAFKA_SSL_"))
              .sorted()
              .toArray(String[]::new));
    }
    return props;
  }

  private static String protocol(AppConfig config) {
    String value =
        config
            .get(KAFKA_SECURITY_PROTOCOL, SecurityProtocol.PLAINTEXT.name)
            .toUpperCase(Locale.ROOT);
    if (!SecurityProtocol.names().contains(value)) {
      throw new IllegalStateException(
          KAFKA_SECURITY_PROTOCOL
              + " must be one of "
              + SecurityProtocol.names()
              + ", got '"
              + value
              + "'");
    }
    return value;
  }

  private static void refuseIfSet(AppConfig config, String protocol, String... keys) {
    for (String key : Arrays.asList(keys)) {
      if (config.find(key).isPresent()) {
        throw new IllegalStateException(
            key
                + " is set but "
                + KAFKA_SECURITY_PROTOCOL
                + " is "
                + protocol
                + ", which does not use it: set "
                + KAFKA_SECURITY_PROTOCOL
                + " to the cluster's protocol");
      }
    }
  }
}
