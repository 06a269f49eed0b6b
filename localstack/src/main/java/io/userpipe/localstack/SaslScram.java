package io.userpipe.localstack;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * The authenticating mode of {@link EmbeddedKafka}: clients log in with SCRAM-SHA-256 on a
 * SASL_PLAINTEXT listener, {@code StandardAuthorizer} allows only what an ACL allows ({@code
 * allow.everyone.if.no.acl.found=false}), and {@code superUser} may do anything (the broker itself,
 * the tests, the tooling). The controller listener authenticates too (PLAIN, the same user), so no
 * listener of the broker is open to an anonymous client. Loopback only, and no TLS: the login is
 * sent in the clear, which a test broker on 127.0.0.1 can afford and a cluster cannot.
 */
public record SaslScram(String superUser, String password) {

  public static final String MECHANISM = "SCRAM-SHA-256";

  public SaslScram {
    if (!superUser.matches("[A-Za-z0-9._-]+") || !password.matches("[A-Za-z0-9._-]+")) {
      // kept to characters that need no quoting in a JAAS config or a --add-scram argument
      throw new IllegalArgumentException("user and password must be [A-Za-z0-9._-]+");
    }
  }

  /** A super-user {@code admin} with a fresh random password. */
  public static SaslScram randomSuperUser() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return new SaslScram("admin", HexFormat.of().formatHex(bytes));
  }

  /** The JAAS config a SCRAM client logs in as {@code user} with. */
  public static String jaasConfig(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** The super-user's JAAS config. */
  public String jaasConfig() {
    return jaasConfig(superUser, password);
  }

  /** The client settings of the super-user (without the address). */
  public Map<String, Object> clientProps() {
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        MECHANISM,
        "sasl.jaas.config",
        jaasConfig());
  }

  String formatArgument() {
    return MECHANISM + "=[name=" + superUser + ",password=" + password + "]";
  }

  Properties serverProperties(int brokerPort, int controllerPort) {
    var p = new Properties();
    p.put(
        "listeners",
        "SASL_PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put(
        "listener.security.protocol.map",
        "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
    p.put("inter.broker.listener.name", "SASL_PLAINTEXT");
    p.put("sasl.enabled.mechanisms", MECHANISM);
    p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    p.put("listener.name.sasl_plaintext.sasl.enabled.mechanisms", MECHANISM);
    p.put("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", jaasConfig());
    // PLAIN on the controller listener: its users are in the JAAS config, so the controller can
    // authenticate before any metadata (where SCRAM credentials live) is loaded
    p.put("sasl.mechanism.controller.protocol", "PLAIN");
    p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
    p.put(
        "listener.name.controller.plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + superUser
            + "\" password=\""
            + password
            + "\" user_"
            + superUser
            + "=\""
            + password
            + "\";");
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:" + superUser);
    p.put("allow.everyone.if.no.acl.found", "false");
    return p;
  }

  @Override
  public String toString() {
    return "SaslScram[superUser=" + superUser + ", password=(hidden)]";
  }
}
