package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.userpipe.commands.UserCommandService;
import io.userpipe.ofac.OfacScreener;
import io.userpipe.projections.Projections;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.kafka.ClientSecurity;
import io.userpipe.tin.TinVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml is valid, checked by docker-compose itself (Debian's package, which .ci/run
 * installs): no Docker engine is needed to validate a compose file. It commits no secret: with the
 * ones bin/setup-secrets generates it is valid, and without them compose refuses.
 */
class DockerComposeFileTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");

  private record Run(int status, String output) {}

  @BeforeEach
  void needsDockerCompose() {
    assumeTrue(Files.exists(COMPOSE), "no docker-compose.yml at " + COMPOSE);
    assumeTrue(onPath("docker-compose"), "docker-compose is not installed (.ci/run installs it)");
  }

  @Test
  void composeFileIsValidWithTheSecretsSetupGenerates() throws Exception {
    Path env = Files.createTempDirectory("compose-env").resolve(".env");
    var setup = run(List.of(ROOT.resolve("bin/setup-secrets").toString(), env.toString()));
    assertEquals(0, setup.status(), setup.output());
    assertTrue(setup.output().contains("API key"), "prints the platform's key once");
    String written = Files.readString(env);
    for (Secret secret : Secret.values()) {
      if (secret == Secret.ADMIN_TOKEN) {
        // the local demo's bootstrap only: compose's operators make their own (bin/operators)
        assertFalse(written.contains("\n" + secret.key() + "="), secret + " in " + env);
        continue;
      }
      assertTrue(written.contains("\n" + secret.key() + "="), secret + " in " + env);
    }

    var config = compose(env);
    assertEquals(0, config.status(), config.output());
  }

  /**
   * Every client security setting passes through, optional; the login (the JAAS config) is each
   * service's own, so that each runs with only its own ACLs ({@code bin/acls}).
   */
  @Test
  void everyServicePassesTheKafkaClientSecuritySettingsThroughAsOptional() throws Exception {
    String text = Files.readString(COMPOSE);
    for (String key : ClientSecurity.keys()) {
      if (key.equals(ClientSecurity.KAFKA_SASL_JAAS_CONFIG)) {
        continue;
      }
      assertTrue(text.contains("    " + key + ": \"${" + key + ":-"), key + " in " + COMPOSE);
    }
    assertFalse(
        text.contains("${" + ClientSecurity.KAFKA_SASL_JAAS_CONFIG + ":-"),
        "one login shared by every service");
    for (String service :
        List.of(
            UserCommandService.NAME,
            TinVerifier.NAME,
            OfacScreener.NAME,
            Projections.NAME,
            io.userpipe.webhooks.Webhooks.NAME)) {
      String own = service.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_";
      assertTrue(
          text.contains(
              "      "
                  + ClientSecurity.KAFKA_SASL_JAAS_CONFIG
                  + ": \"${"
                  + own
                  + ClientSecurity.KAFKA_SASL_JAAS_CONFIG
                  + ":-}\""),
          service + "'s own login in " + COMPOSE);
    }
  }

  @Test
  void composeRefusesToRunWithoutTheSecrets() throws Exception {
    Path empty = Files.createTempFile("compose-env", ".env");
    var config = compose(empty);
    assertNotEquals(0, config.status(), config.output());
    assertTrue(config.output().contains("is not set; run bin/setup-secrets"), config.output());
    String text = Files.readString(COMPOSE);
    for (String published : List.of("change-me", "demo-secret", "DF4LFHX", "AcUS9g4", "cd577fe2")) {
      assertFalse(text.contains(published), "docker-compose.yml names " + published);
    }
  }

  /**
   * Each container gets exactly the secrets its service names ({@code SECRETS}): the edge keys only
   * projections and user-command-service, the data keys (in the shared environment) all.
   */
  @Test
  void eachContainerGetsExactlyTheSecretsItsServiceNeeds() throws Exception {
    Map<String, List<Secret>> needs = new LinkedHashMap<>();
    needs.put(UserCommandService.NAME, UserCommandService.SECRETS);
    needs.put(TinVerifier.NAME, TinVerifier.SECRETS);
    needs.put(OfacScreener.NAME, OfacScreener.SECRETS);
    needs.put(Projections.NAME, Projections.SECRETS);
    needs.put(io.userpipe.webhooks.Webhooks.NAME, io.userpipe.webhooks.Webhooks.SECRETS);
    String text = Files.readString(COMPOSE);
    String shared = text.substring(text.indexOf("x-service:"), text.indexOf("\nservices:"));
    var serviceStart = Pattern.compile("(?m)^  ([a-z][a-z0-9-]*):\\s*$").matcher(text);
    Map<String, String> blocks = new LinkedHashMap<>();
    String name = null;
    int from = 0;
    while (serviceStart.find()) {
      if (name != null) {
        blocks.put(name, text.substring(from, serviceStart.start()));
      }
      name = serviceStart.group(1);
      from = serviceStart.end();
    }
    blocks.put(name, text.substring(from));
    for (var service : needs.entrySet()) {
      String block = blocks.get(service.getKey());
      var given = new TreeSet<String>();
      for (Secret secret : Secret.values()) {
        var setting = Pattern.compile("(?m)^\\s+" + secret.key() + ":");
        if (setting.matcher(block).find()
            || (block.contains("<<: *service-env") && setting.matcher(shared).find())) {
          given.add(secret.key());
        }
      }
      var needed = new TreeSet<String>();
      service.getValue().forEach(secret -> needed.add(secret.key()));
      assertEquals(needed, given, service.getKey());
    }
  }

  /** {@code docker-compose config -q} with the variables of {@code envFile} and none other. */
  private static Run compose(Path envFile) throws IOException, InterruptedException {
    return run(
        List.of(
            "docker-compose",
            "--env-file",
            envFile.toString(),
            "-f",
            COMPOSE.toString(),
            "config",
            "-q"));
  }

  private static Run run(List<String> command) throws IOException, InterruptedException {
    var builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    for (Secret secret : Secret.values()) {
      builder.environment().remove(secret.key()); // this JVM's own never stand in for .env
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "still running: " + command);
    return new Run(process.exitValue(), output);
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
