package io.userpipe.runtime.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.SecretHasher;
import io.userpipe.runtime.http.PlatformDirectory;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Outside the local demo, a service refuses a secret that is missing or published, with a message
 * that names the setting and says how to generate a value; the demo accepts its own.
 */
class SecretTest {

  private static final List<Secret> ALL = List.of(Secret.values());
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";

  /** Every secret set to a fresh value: what bin/setup-secrets writes. */
  private static AppConfig generated() {
    return AppConfig.of(
        Map.of(
            DataKeys.DATA_KEYS,
            DataKeys.generateEntry("k1"),
            DataKeys.EDGE_KEYS,
            DataKeys.generateEntry("e1"),
            SecretHasher.CODE_HASH_KEY,
            SecretHasher.generateKey(),
            PlatformDirectory.PLATFORMS,
            PlatformDirectory.entry("p1", "c1", TOKEN + "-key"),
            Secret.ADMIN_TOKEN.key(),
            TOKEN + "-admin",
            Secret.INTERNAL_TOKEN.key(),
            TOKEN + "-internal"));
  }

  private static Secret.Refused refused(AppConfig config) {
    return assertThrows(Secret.Refused.class, () -> Secret.check(config, ALL));
  }

  @Test
  void acceptsFreshlyGeneratedSecrets() {
    assertDoesNotThrow(() -> Secret.check(generated(), ALL));
  }

  @Test
  void refusesEachMissingRequiredSecretNamingItAndHowToGenerateIt() {
    for (Secret secret : EnumSet.of(Secret.DATA_KEYS, Secret.EDGE_KEYS, Secret.CODE_HASH_KEY)) {
      var e = refused(generated().with(secret.key(), ""));
      assertTrue(
          e.getMessage().startsWith(secret.key() + " is not set: set " + secret.key()),
          e.getMessage());
      assertTrue(e.getMessage().contains("bin/setup-secrets"), e.getMessage());
    }
    var e = refused(generated().with(Secret.INTERNAL_TOKEN.key(), " "));
    assertTrue(e.getMessage().contains("INTERNAL_TOKEN is not set"), e.getMessage());
    assertTrue(e.getMessage().contains("openssl rand -hex 32"), e.getMessage());
    var keys = refused(generated().with(DataKeys.DATA_KEYS, ""));
    assertTrue(keys.getMessage().contains("openssl rand -base64 32"), keys.getMessage());
    var edge = refused(generated().with(DataKeys.EDGE_KEYS, ""));
    assertTrue(
        edge.getMessage().contains("EDGE_KEYS=e1:$(openssl rand -base64 32)"), edge.getMessage());
  }

  @Test
  void refusesPublishedEdgeKeys() {
    var e =
        refused(
            generated()
                .with(
                    DataKeys.EDGE_KEYS, "compose-1:DF4LFHX/7TivarOvj/QfQ6MABbrECfPqg19SJbUZ7OE="));
    assertTrue(
        e.getMessage().startsWith("EDGE_KEYS key compose-1 is a published demo key: set EDGE_KEYS"),
        e.getMessage());
    assertThrows(
        Secret.Refused.class,
        () ->
            DataKeys.edgeFrom(
                generated()
                    .with(DataKeys.EDGE_KEYS, "x:DF4LFHX/7TivarOvj/QfQ6MABbrECfPqg19SJbUZ7OE=")));
  }

  @Test
  void refusesAnEdgeKeyThatIsAlsoADataKey() {
    String shared = DataKeys.generateEntry("k2");
    String sameBytes = "e2" + shared.substring(shared.indexOf(':'));
    var config =
        generated()
            .with(DataKeys.DATA_KEYS, DataKeys.generateEntry("k1") + "," + shared)
            .with(DataKeys.EDGE_KEYS, DataKeys.generateEntry("e1") + "," + sameBytes);
    var e = refused(config);
    assertTrue(
        e.getMessage()
            .startsWith("EDGE_KEYS key e2 is also a DATA_KEYS key (a key serves one purpose): set"),
        e.getMessage());
    // in the demo too: it never needs to share one
    assertThrows(Secret.Refused.class, () -> Secret.check(config.asLocalDemo(), ALL));
    // and a service that holds only one of the two sets is not asked
    assertDoesNotThrow(() -> Secret.check(config, List.of(Secret.EDGE_KEYS)));
  }

  @Test
  void refusesAnEdgeKeyIdThatIsAlsoADataKeyId() {
    var e = refused(generated().with(DataKeys.EDGE_KEYS, DataKeys.generateEntry("k1")));
    assertTrue(
        e.getMessage().startsWith("EDGE_KEYS key id k1 is also a DATA_KEYS key id"),
        e.getMessage());
  }

  @Test
  void anUnsetPlatformsSeedsNothingRatherThanRefusing() {
    var config = generated().with(PlatformDirectory.PLATFORMS, "");
    assertDoesNotThrow(() -> Secret.check(config, ALL));
    assertEquals(java.util.List.of(), PlatformDirectory.seeds(config), "platforms: bin/platforms");
  }

  @Test
  void anUnsetAdminTokenTurnsTheAdminEndpointsOffRatherThanRefusing() {
    var config = generated().with(Secret.ADMIN_TOKEN.key(), "");
    assertDoesNotThrow(() -> Secret.check(config, ALL));
    assertEquals(Optional.empty(), Secret.ADMIN_TOKEN.find(config));
  }

  @Test
  void refusesTheKeysTheOldComposeFileCommitted() {
    var data =
        refused(
            generated()
                .with(
                    DataKeys.DATA_KEYS, "compose-1:DF4LFHX/7TivarOvj/QfQ6MABbrECfPqg19SJbUZ7OE="));
    assertTrue(
        data.getMessage().startsWith("DATA_KEYS key compose-1 is a published demo key"),
        data.getMessage());
    // under another id, or behind a fresh active key, it is still published
    refused(
        generated()
            .with(
                DataKeys.DATA_KEYS,
                DataKeys.generateEntry("k2")
                    + ",old:DF4LFHX/7TivarOvj/QfQ6MABbrECfPqg19SJbUZ7OE="));
    var code =
        refused(
            generated()
                .with(SecretHasher.CODE_HASH_KEY, "AcUS9g4jmZqmhwBOy9DbE6pj+ike648YFIiGXHKsiuo="));
    assertTrue(
        code.getMessage().startsWith("CODE_HASH_KEY is a published demo key"), code.getMessage());
  }

  @Test
  void refusesTheUpgradeFixturesSecrets() {
    // committed with local/src/test/resources/upgrade/, so published like the demo's
    refused(
        generated()
            .with(DataKeys.DATA_KEYS, "upgrade-1:4kl7inZ2cPD9BHKg0FmmCbF9qM3HlFUX10B8XIclbtQ="));
    refused(
        generated()
            .with(SecretHasher.CODE_HASH_KEY, "h/foHzTTJx9p6skAOynn7UoY3/ZbgMXJsjfL2KXn8JM="));
    refused(
        generated()
            .with(
                PlatformDirectory.PLATFORMS,
                PlatformDirectory.entry(
                    "upgrade-a", "client-a", "646534ff5da04856e2adede46eabc5cea3ccba71")));
  }

  @Test
  void refusesThePublishedPlatformKeys() {
    for (String key : List.of(DemoSecrets.DEMO_PLATFORM_KEY, "storm-secret")) {
      var e =
          refused(
              generated()
                  .with(
                      PlatformDirectory.PLATFORMS,
                      PlatformDirectory.entry("p1", "c1", TOKEN)
                          + ","
                          + PlatformDirectory.entry("demo-platform", "demo", key)));
      assertTrue(
          e.getMessage().startsWith("PLATFORMS gives client demo a published demo key"),
          e.getMessage());
    }
  }

  @Test
  void refusesPublishedAndShortTokens() {
    for (Secret token : List.of(Secret.ADMIN_TOKEN, Secret.INTERNAL_TOKEN)) {
      for (String published : List.of(DemoSecrets.DEMO_ADMIN_TOKEN, "change-me")) {
        var e = refused(generated().with(token.key(), published));
        assertTrue(
            e.getMessage()
                .startsWith(token.key() + " is a published demo value: set " + token.key()),
            e.getMessage());
      }
      var e = refused(generated().with(token.key(), "short-but-not-published"));
      assertTrue(
          e.getMessage().startsWith(token.key() + " is shorter than 32 characters"),
          e.getMessage());
    }
  }

  @Test
  void refusesOneTokenForTwoPurposes() {
    var config = generated().with(Secret.INTERNAL_TOKEN.key(), TOKEN + "-admin");
    var e = refused(config);
    assertTrue(e.getMessage().startsWith("INTERNAL_TOKEN equals ADMIN_TOKEN"), e.getMessage());
  }

  @Test
  void theReadersRefuseToo() {
    // what each service's factory reads its secrets through
    assertThrows(
        Secret.Refused.class,
        () ->
            DataKeys.from(
                generated()
                    .with(DataKeys.DATA_KEYS, "x:DF4LFHX/7TivarOvj/QfQ6MABbrECfPqg19SJbUZ7OE=")));
    assertThrows(
        Secret.Refused.class,
        () ->
            SecretHasher.from(
                generated()
                    .with(
                        SecretHasher.CODE_HASH_KEY,
                        "AcUS9g4jmZqmhwBOy9DbE6pj+ike648YFIiGXHKsiuo=")));
    assertThrows(
        Secret.Refused.class,
        () -> Secret.ADMIN_TOKEN.find(generated().with(Secret.ADMIN_TOKEN.key(), "change-me")));
    assertThrows(
        Secret.Refused.class,
        () ->
            PlatformDirectory.seeds(
                generated()
                    .with(
                        PlatformDirectory.PLATFORMS,
                        PlatformDirectory.entry(
                            "demo-platform", "demo", DemoSecrets.DEMO_PLATFORM_KEY))));
    assertThrows(Secret.Refused.class, () -> DataKeys.from(AppConfig.of(Map.of())));
  }

  @Test
  void theLocalDemoAcceptsItsPublishedSecretsButNotMissingOnes() {
    var demo =
        generated()
            .with(Secret.ADMIN_TOKEN.key(), DemoSecrets.DEMO_ADMIN_TOKEN)
            .with(
                PlatformDirectory.PLATFORMS,
                PlatformDirectory.entry("demo-platform", "demo", DemoSecrets.DEMO_PLATFORM_KEY))
            .asLocalDemo();
    assertTrue(demo.with("ANY", "x").isLocalDemo(), "the mark survives with()");
    assertDoesNotThrow(() -> Secret.check(demo, ALL));
    assertThrows(Secret.Refused.class, () -> Secret.check(demo.with(DataKeys.DATA_KEYS, ""), ALL));
  }
}
