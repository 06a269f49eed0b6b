package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * Looks for secrets in the clear everywhere the pipeline writes: every record (key, value and
 * headers) of every topic on a broker, and every file under the given directories (state, logs). A
 * secret matches as a whole token: never as digits inside a longer run of digits or letters
 * (timestamps, ids).
 */
final class PlaintextScan {

  /** What was looked through. */
  record Scanned(int records, int files) {}

  private PlaintextScan() {}

  /** A pattern matching any of {@code secrets} as a whole token. */
  static Pattern anyOf(Stream<String> secrets) {
    return Pattern.compile(
        secrets
            .map(t -> "(?<![0-9A-Za-z])" + Pattern.quote(t) + "(?![0-9A-Za-z])")
            .reduce((a, b) -> a + "|" + b)
            .orElseThrow());
  }

  /**
   * Fails naming where a secret was found; files named in {@code allowedFiles} hold secrets on
   * purpose (a provider's own data file, the SMS outbox standing in for phones).
   */
  static Scanned assertNowhere(
      Pattern secrets, String what, String bootstrap, List<Path> places, Set<String> allowedFiles)
      throws Exception {
    int records = 0;
    try (var admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
      for (String topic : admin.listTopics().names().get()) {
        for (var r : TopicReader.readEverything(bootstrap, topic)) {
          records++;
          for (byte[] part : TopicReader.parts(r)) {
            assertFalse(secrets.matcher(text(part)).find(), what + " in the clear on " + topic);
          }
        }
      }
    }
    assertTrue(records > 0, "nothing was scanned");
    int files = 0;
    for (Path place : places) {
      try (Stream<Path> paths = Files.walk(place)) {
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
    }
    assertTrue(files > 0, "no files were scanned");
    return new Scanned(records, files);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
