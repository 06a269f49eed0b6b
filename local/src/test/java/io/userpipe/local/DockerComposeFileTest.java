package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.kafka.ClientSecurity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

  @Test
  void everyServicePassesTheKafkaClientSecuritySettingsThroughAsOptional() throws Exception {
    String text = Files.readString(COMPOSE);
    for (String key : ClientSecurity.keys()) {
      assertTrue(text.contains("    " + key + ": \"${" + key + ":-"), key + " in " + COMPOSE);
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
