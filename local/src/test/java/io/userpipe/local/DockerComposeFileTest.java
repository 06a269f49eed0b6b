package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml is valid, checked by docker-compose itself (Debian's package, which .ci/run
 * installs): no Docker engine is needed to validate a compose file.
 */
class DockerComposeFileTest {

  @Test
  void composeFileIsValid() throws IOException, InterruptedException {
    Path compose = Path.of("..", "docker-compose.yml").toAbsolutePath().normalize();
    assumeTrue(Files.exists(compose), "no docker-compose.yml at " + compose);
    assumeTrue(onPath("docker-compose"), "docker-compose is not installed (.ci/run installs it)");

    Process process =
        new ProcessBuilder("docker-compose", "-f", compose.toString(), "config", "-q")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, process.exitValue(), output);
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
