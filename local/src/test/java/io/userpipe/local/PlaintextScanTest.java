package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class PlaintextScanTest {

  private final PlaintextScan.Secrets secrets =
      PlaintextScan.anyOf(Stream.of("521438765", "521-43-8765", "404117"));

  @Test
  void findsASecretStandingAloneOrBetweenPunctuation() {
    assertTrue(secrets.foundIn("521438765"));
    assertTrue(secrets.foundIn("{\"tin\":\"521438765\"}"));
    assertTrue(secrets.foundIn("your code is 404117."));
    assertTrue(secrets.foundIn("ssn 521-43-8765 given"));
    assertTrue(secrets.foundIn("x_521438765_y"));
  }

  @Test
  void findsASecretNextToADashedNeighbour() {
    assertTrue(secrets.foundIn("521438765-12"));
    assertTrue(secrets.foundIn("12-521438765"));
    assertTrue(secrets.foundIn("9-521-43-8765-0"));
  }

  @Test
  void ignoresDigitsInsideLongerRunsOfDigitsOrLetters() {
    assertFalse(secrets.foundIn("1764512404117"));
    assertFalse(secrets.foundIn("5214387650"));
    assertFalse(secrets.foundIn("a521438765"));
    assertFalse(secrets.foundIn("521438765b"));
    assertFalse(secrets.foundIn("id404117x and 52143876"));
    assertFalse(secrets.foundIn("521-43-87650"));
    assertFalse(secrets.foundIn(""));
  }

  @Test
  void refusesSecretsItCannotMatchAsTokens() {
    assertThrows(IllegalArgumentException.class, () -> PlaintextScan.anyOf(Stream.of("ab12")));
    assertThrows(IllegalArgumentException.class, () -> PlaintextScan.anyOf(Stream.empty()));
  }

  @Test
  void readsAStoreEntryByEntrySoAKeyCutByPrefixCompressionIsNoFalseAlarm(@TempDir Path dir)
      throws Exception {
    // the second key shares "q" with the first: its table entry holds "404117-rest" alone
    writeStore(dir.resolve("store"), Map.of("q1", "v", "q404117-rest", "v"));
    try (var files = Files.list(dir.resolve("store"))) {
      Path table = files.filter(f -> f.toString().endsWith(".sst")).findFirst().orElseThrow();
      assertTrue(
          secrets.foundIn(PlaintextScan.text(Files.readAllBytes(table))),
          "the table file's bytes read as the code");
    }
    PlaintextScan.scanFiles(secrets, "a code", List.of(dir), Set.of());

    writeStore(dir.resolve("leaky"), Map.of("k1", "code 404117"));
    var e =
        assertThrows(
            AssertionError.class,
            () -> PlaintextScan.scanFiles(secrets, "a code", List.of(dir), Set.of()));
    assertTrue(e.getMessage().contains("leaky"), e.getMessage());
  }

  /** A RocksDB with one value per key, flushed to a table file (no compression, as Streams). */
  private static void writeStore(Path dir, Map<String, String> entries) throws Exception {
    RocksDB.loadLibrary();
    try (var options = new Options().setCreateIfMissing(true);
        var db = RocksDB.open(options, dir.toString());
        var flush = new FlushOptions().setWaitForFlush(true)) {
      for (var entry : entries.entrySet()) {
        db.put(
            entry.getKey().getBytes(StandardCharsets.UTF_8),
            entry.getValue().getBytes(StandardCharsets.UTF_8));
      }
      db.flush(flush);
    }
  }
}
