package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Looks for secrets in the clear everywhere the pipeline writes: every record (key, value and
 * headers) of every topic on a broker, every file under the given directories (state, logs), and
 * every entry of every RocksDB store among them. A secret matches as a whole token: never as digits
 * inside a longer run of digits or letters (timestamps, ids).
 */
final class PlaintextScan {

  /** What was looked through. */
  record Scanned(int records, int files) {}

  private PlaintextScan() {}

  /** A matcher of any of {@code secrets} (digits, maybe grouped by dashes) as a whole token. */
  static Secrets anyOf(Stream<String> secrets) {
    return new Secrets(secrets.collect(Collectors.toSet()));
  }

  /**
   * Secrets made of digit groups joined by dashes ({@code 521438765}, {@code 521-43-8765}), found
   * as whole tokens: the characters either side of a match are not letters or digits. It looks up
   * every run of digit groups in a set, so its cost does not grow with the number of secrets (a
   * regex alternation of thousands of them took minutes over a chaos run's topics).
   */
  static final class Secrets {
    private final Set<String> secrets;
    private final int maxGroups;

    Secrets(Set<String> secrets) {
      if (secrets.isEmpty()) {
        throw new IllegalArgumentException("no secrets to look for");
      }
      for (String secret : secrets) {
        if (!secret.matches("[0-9]+(-[0-9]+)*")) {
          throw new IllegalArgumentException("not digit groups joined by dashes: " + secret);
        }
      }
      this.secrets = Set.copyOf(secrets);
      this.maxGroups = secrets.stream().mapToInt(t -> t.split("-").length).max().orElseThrow();
    }

    /** Whether any secret is in {@code text} as a whole token. */
    boolean foundIn(String text) {
      int n = text.length();
      int i = 0;
      while (i < n) {
        if (!isDigit(text.charAt(i))) {
          i++;
          continue;
        }
        // a run of digit groups joined by single dashes: text[start, end)
        int start = i;
        List<int[]> groups = new ArrayList<>();
        while (true) {
          int groupStart = i;
          while (i < n && isDigit(text.charAt(i))) {
            i++;
          }
          groups.add(new int[] {groupStart, i});
          if (i + 1 < n && text.charAt(i) == '-' && isDigit(text.charAt(i + 1))) {
            i++;
          } else {
            break;
          }
        }
        boolean openLeft = start == 0 || !isLetter(text.charAt(start - 1));
        boolean openRight = i == n || !isLetter(text.charAt(i));
        for (int from = 0; from < groups.size(); from++) {
          if (from == 0 && !openLeft) {
            continue;
          }
          for (int to = from; to < groups.size() && to - from < maxGroups; to++) {
            if (to == groups.size() - 1 && !openRight) {
              continue;
            }
            if (secrets.contains(text.substring(groups.get(from)[0], groups.get(to)[1]))) {
              return true;
            }
          }
        }
      }
      return false;
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
  }

  /**
   * Fails naming where a secret was found; files named in {@code allowedFiles} hold secrets on
   * purpose (a provider's own data file, the SMS outbox standing in for phones).
   */
  static Scanned assertNowhere(
      Secrets secrets, String what, String bootstrap, List<Path> places, Set<String> allowedFiles)
      throws Exception {
    return assertNowhere(secrets, what, SharedKafka.clientProps(bootstrap), places, allowedFiles);
  }

  /** As above, on a cluster reached with these client settings (a login, on one with ACLs). */
  static Scanned assertNowhere(
      Secrets secrets,
      String what,
      java.util.Map<String, Object> clientProps,
      List<Path> places,
      Set<String> allowedFiles)
      throws Exception {
    long records;
    try (var admin = Admin.create(clientProps)) {
      records =
          TopicReader.scanEverything(
              clientProps,
              admin.listTopics().names().get(),
              r -> {
                for (byte[] part : TopicReader.parts(r)) {
                  assertFalse(secrets.foundIn(text(part)), what + " in the clear on " + r.topic());
                }
              });
    }
    assertTrue(records > 0, "nothing was scanned");
    int files = scanFiles(secrets, what, places, allowedFiles);
    assertTrue(files > 0, "no files were scanned");
    return new Scanned(Math.toIntExact(records), files);
  }

  /** The files half of {@link #assertNowhere}: returns how many files it looked at. */
  static int scanFiles(Secrets secrets, String what, List<Path> places, Set<String> allowedFiles)
      throws Exception {
    int files = 0;
    for (Path place : places) {
      try (Stream<Path> paths = Files.walk(place)) {
        for (Path file : paths.filter(Files::isRegularFile).toList()) {
          if (allowedFiles.contains(file.getFileName().toString())) {
            continue;
          }
          files++;
          if (isTableFile(file)) {
            continue; // read through RocksDB below, whole entry by whole entry
          }
          assertFalse(
              secrets.foundIn(text(Files.readAllBytes(file))), what + " in the clear in " + file);
        }
      }
      try (Stream<Path> paths = Files.walk(place)) {
        for (Path store : paths.filter(PlaintextScan::isRocksDb).toList()) {
          scanStore(store, secrets, what);
        }
      }
    }
    return files;
  }

  /**
   * A RocksDB table file stores each key as the part it does not share with the key before it, so
   * its bytes hold fragments of keys (a user id cut after its first characters) that read as other
   * tokens. Its entries are read through RocksDB instead: every key and value, whole.
   */
  private static boolean isTableFile(Path file) {
    return file.getFileName().toString().endsWith(".sst") && isRocksDb(file.getParent());
  }

  private static boolean isRocksDb(Path dir) {
    return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve("CURRENT"));
  }

  /** Every key and value of every column family of the store at {@code dir}, opened read-only. */
  private static void scanStore(Path dir, Secrets secrets, String what) throws RocksDBException {
    RocksDB.loadLibrary();
    try (var options = new Options()) {
      List<byte[]> names = RocksDB.listColumnFamilies(options, dir.toString());
      var descriptors = new ArrayList<ColumnFamilyDescriptor>();
      for (byte[] name : names) {
        descriptors.add(new ColumnFamilyDescriptor(name));
      }
      var handles = new ArrayList<ColumnFamilyHandle>();
      try (var db = RocksDB.openReadOnly(dir.toString(), descriptors, handles)) {
        for (var handle : handles) {
          try (RocksIterator it = db.newIterator(handle)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
              assertFalse(
                  secrets.foundIn(text(it.key())) || secrets.foundIn(text(it.value())),
                  what + " in the clear in the store at " + dir);
            }
          }
          handle.close();
        }
      }
    }
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
