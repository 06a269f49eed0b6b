package io.userpipe.runtime.testing;

import io.userpipe.localstack.LocalSchemaRegistry;
import io.userpipe.runtime.config.AppConfig;

/**
 * One real schema registry per test JVM (Apicurio on loopback), started on first use and stopped
 * when the JVM exits; or the registry named by {@code SCHEMA_REGISTRY_URL}.
 */
public final class SharedRegistry {

  private static String url;

  private SharedRegistry() {}

  public static synchronized String url() {
    if (url == null) {
      String external = System.getenv(AppConfig.SCHEMA_REGISTRY_URL);
      if (external != null && !external.isBlank()) {
        url = external;
      } else {
        LocalSchemaRegistry registry = LocalSchemaRegistry.start(SharedKafka.tempDir("registry"));
        Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "shared-registry-stop"));
        url = registry.url();
      }
    }
    return url;
  }
}
