package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.SecretHasher;
import io.userpipe.runtime.http.PlatformDirectory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The demo is LocalMain with its own broker: against an external cluster, LocalMain enables neither
 * the demo operator token nor the demo platform, and takes its secrets from the environment like
 * any service.
 */
class LocalDemoTest {

  private static final Path DATA = Path.of("var", "local-demo-test");
  private static final AppConfig EXTERNAL =
      AppConfig.of(Map.of(AppConfig.KAFKA_BOOTSTRAP_SERVERS, "kafka.example.com:9092"));

  @Test
  void againstAnExternalClusterNoDemoSecretIsFilledIn() {
    assertFalse(LocalDemo.isDemoRun(EXTERNAL));
    AppConfig config = LocalMain.pipelineConfig(EXTERNAL, false, DATA);
    assertFalse(config.isLocalDemo());
    assertEquals(Optional.empty(), config.find(Secret.ADMIN_TOKEN.key()), "no demo admin");
    assertEquals(Optional.empty(), config.find(PlatformDirectory.PLATFORMS), "no demo platform");
    assertEquals(Optional.empty(), config.find(DataKeys.DATA_KEYS));
    var e = assertThrows(Secret.Refused.class, () -> Secret.check(config, LocalPipeline.SECRETS));
    assertTrue(e.getMessage().startsWith("DATA_KEYS is not set"), e.getMessage());
  }

  @Test
  void againstAnExternalClusterTheDemoValuesAreRefused() {
    AppConfig environment =
        EXTERNAL
            .with(DataKeys.DATA_KEYS, DataKeys.generateEntry("k1"))
            .with(DataKeys.EDGE_KEYS, DataKeys.generateEntry("e1"))
            .with(SecretHasher.CODE_HASH_KEY, SecretHasher.generateKey())
            .with(Secret.INTERNAL_TOKEN.key(), "an-internal-token-of-32-characters-or-more")
            .with(
                PlatformDirectory.PLATFORMS,
                PlatformDirectory.entry(
                    LocalDemo.DEMO_PLATFORM, LocalDemo.DEMO_CLIENT_ID, LocalDemo.DEMO_API_KEY))
            .with(Secret.ADMIN_TOKEN.key(), LocalDemo.DEMO_ADMIN_TOKEN);
    AppConfig config =
        LocalMain.pipelineConfig(environment, LocalDemo.isDemoRun(environment), DATA);
    var platform =
        assertThrows(Secret.Refused.class, () -> Secret.check(config, LocalPipeline.SECRETS));
    assertTrue(
        platform.getMessage().startsWith("PLATFORMS gives client demo"), platform.getMessage());
    // The demo's admin token opens nothing outside the demo: no service reads ADMIN_TOKEN
    // (operators sign in with their own credentials), and only the demo adds its first operator.
    assertFalse(LocalPipeline.SECRETS.contains(Secret.ADMIN_TOKEN), "no service needs it");
    var withoutDemoPlatform =
        config.with(PlatformDirectory.PLATFORMS, PlatformDirectory.entry("p", "c", "k".repeat(32)));
    assertDoesNotThrow(() -> Secret.check(withoutDemoPlatform, LocalPipeline.SECRETS));
  }

  @Test
  void withItsOwnBrokerItIsTheDemo() {
    AppConfig environment = AppConfig.of(Map.of());
    assertTrue(LocalDemo.isDemoRun(environment));
    AppConfig config = LocalMain.pipelineConfig(environment, true, DATA);
    assertTrue(config.isLocalDemo());
    assertEquals(Optional.of(LocalDemo.DEMO_ADMIN_TOKEN), config.find(Secret.ADMIN_TOKEN.key()));
    assertEquals(
        Optional.of(
            PlatformDirectory.entry(
                LocalDemo.DEMO_PLATFORM, LocalDemo.DEMO_CLIENT_ID, LocalDemo.DEMO_API_KEY)),
        config.find(PlatformDirectory.PLATFORMS));
    assertDoesNotThrow(() -> Secret.check(config, LocalPipeline.SECRETS));
    // fresh edge keys of their own, apart from the data keys
    String edge = config.find(DataKeys.EDGE_KEYS).orElseThrow();
    String data = config.find(DataKeys.DATA_KEYS).orElseThrow();
    assertNotEquals(edge.substring(edge.indexOf(':')), data.substring(data.indexOf(':')));
    assertNotEquals(
        edge, LocalMain.pipelineConfig(environment, true, DATA).find(DataKeys.EDGE_KEYS).get());
  }
}
