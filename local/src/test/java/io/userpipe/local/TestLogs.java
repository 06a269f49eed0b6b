package io.userpipe.local;

import java.nio.file.Path;

/**
 * The log file of this test JVM ({@code logback-test.xml}): surefire runs the end-to-end classes in
 * several forks side by side, each logging to its own file, so a scan for plaintext secrets reads
 * the lines of the tests it ran beside.
 */
final class TestLogs {

  private TestLogs() {}

  static Path thisFork() {
    return Path.of(
        "target", "test-logs", "local-" + System.getProperty("userpipe.test.fork", "1") + ".log");
  }
}
