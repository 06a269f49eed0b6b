package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * Looks for secrets in the clear everywhere the pipeline writes: every record (key, value and
 * headers) of every topic on the shared broker, every file under a state directory, and the tests'
 * log. A secret matches as a whole token, never as digits inside a longer run of digits.
 */
final class PlaintextScan {

  private PlaintextScan() {}

  /** A pattern matching any of {@code secrets} as a whole number or token. */
  static Pattern anyOf(Stream<String> secrets) {
    return Pattern.compile(
        secrets
            .map(t -> "(?<![0-9])" + Pattern.quote(t) + "(?![0-9])")
            .reduce((a, b) -> a + "|" + b)
            .orElseThrow());
  }

  /**
   * Fails naming where a secret was found; {@code allowedFiles} are file names under {@code
   * stateDir} that hold secrets on purpose (a provider's own data file).
   */
  static void assertNowhere(Pattern secrets, String what, Path stateDir, Set<String> allowedFiles)
      throws Exception {
    int records = 0;
    try (var admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
      for (String topic : admin.listTopics().names().get()) {
        for (var r : TopicReader.readEverything(SharedKafka.bootstrapServers(), topic)) {
          records++;
          for (byte[] part : TopicReader.parts(r)) {
            assertFalse(secrets.matcher(text(part)).find(), what + " in the clear on " + topic);
          }
        }
      }
    }
    assertTrue(records > 0, "nothing was scanned");
    int files = 0;
    try (Stream<Path> paths = Files.walk(stateDir)) {
      for (Path file : paths.filter(Files::isRegularFile).toList()) {
        if (allowedFiles.contains(file.getFileName().toString())) {
          continue;
        }
        files++;
        assertFalse(
            secrets.matcher(text(Files.readAllBytes(file))).find(),
            what + " in the clear in " + file);
      }
    }
    assertTrue(files > 0, "no state files were scanned");
    Path log = Path.of("target/test-logs/local.log");
    assertTrue(Files.size(log) > 0, "no log captured");
    assertFalse(secrets.matcher(text(Files.readAllBytes(log))).find(), what + " in the log");
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
