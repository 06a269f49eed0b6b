package io.userpipe.local;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.DemoSecrets;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.SecretHasher;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.webhooks.Webhooks;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The explicitly local demo, defined here and nowhere else: {@link LocalMain} when it starts its
 * own embedded broker (bin/run-local, bin/load, bin/soak), and the end-to-end tests' pipelines.
 * Only its configuration is marked as the demo ({@link AppConfig#asLocalDemo}): it is given fresh
 * random data, edge, code-hash and internal keys, the demo platform ({@code demo:demo-secret}) and
 * the demo operator token ({@code demo-admin}), and it accepts published secrets. Everything else
 * (each service's own main, LocalMain against an external cluster) takes its secrets from the
 * environment and refuses published ones ({@link Secret}).
 */
public final class LocalDemo {

  public static final String DEMO_PLATFORM = "demo-platform";
  public static final String DEMO_CLIENT_ID = "demo";
  public static final String DEMO_API_KEY = DemoSecrets.DEMO_PLATFORM_KEY;
  public static final String DEMO_ADMIN_TOKEN = DemoSecrets.DEMO_ADMIN_TOKEN;

  private LocalDemo() {}

  /**
   * Whether a LocalMain run with this environment is the demo: it is when it starts its own broker,
   * that is when {@code KAFKA_BOOTSTRAP_SERVERS} names no cluster.
   */
  static boolean isDemoRun(AppConfig environment) {
    return environment.find(AppConfig.KAFKA_BOOTSTRAP_SERVERS).isEmpty();
  }

  /**
   * The demo's configuration: {@code config} marked as the demo, with what it does not set filled
   * in (the local run's defaults too, {@link LocalPipeline#withLocalDefaults}). The internal
   * listener takes a free port: several demo pipelines may share a machine, or a JVM (tests).
   */
  public static AppConfig config(AppConfig config, Path dataDir) {
    config = LocalPipeline.withLocalDefaults(config, dataDir).asLocalDemo();
    if (config.find(DataKeys.DATA_KEYS).isEmpty()) {
      config = config.with(DataKeys.DATA_KEYS, DataKeys.generateEntry("local-1"));
    }
    if (config.find(Webhooks.ALLOW_PRIVATE).isEmpty()) {
      // the demo's receiver (bin/webhook-receiver) is on loopback: allowed here, explicitly
      config = config.with(Webhooks.ALLOW_PRIVATE, "true");
    }
    if (config.find(DataKeys.EDGE_KEYS).isEmpty()) {
      config = config.with(DataKeys.EDGE_KEYS, DataKeys.generateEntry("local-edge-1"));
    }
    if (config.find(SecretHasher.CODE_HASH_KEY).isEmpty()) {
      config = config.with(SecretHasher.CODE_HASH_KEY, SecretHasher.generateKey());
    }
    if (config.find(Secret.INTERNAL_TOKEN.key()).isEmpty()) {
      config = config.with(Secret.INTERNAL_TOKEN.key(), randomToken());
    }
    if (config.find(PlatformDirectory.PLATFORMS).isEmpty()) {
      config =
          config.with(
              PlatformDirectory.PLATFORMS,
              PlatformDirectory.entry(DEMO_PLATFORM, DEMO_CLIENT_ID, DEMO_API_KEY));
    }
    if (config.find(Secret.ADMIN_TOKEN.key()).isEmpty()) {
      config = config.with(Secret.ADMIN_TOKEN.key(), DEMO_ADMIN_TOKEN);
    }
    if (config.find(AppConfig.INTERNAL_HTTP_PORT).isEmpty()) {
      config = config.with(AppConfig.INTERNAL_HTTP_PORT, "0");
    }
    return config;
  }

  private static String randomToken() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    return HexFormat.of().formatHex(raw);
  }
}
