package io.userpipe.runtime.cli;

import io.userpipe.runtime.serde.AvroLimits;
import io.userpipe.schemas.RetentionKey;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file {@code bin/backup-keys backup} writes: the live records of {@code users.keys} and {@code
 * retention.keys}, one a line, under a header with the time, the counts and a SHA-256 of the lines.
 *
 * <pre>
 * userpipe-keys-backup v1 taken=2026-12-03T07:00:00Z users.keys=2 retention.keys=1 sha256=…
 * users.keys &lt;record key, base64&gt; &lt;value, base64&gt;
 * retention.keys &lt;record key, base64&gt; &lt;value, base64&gt;
 * </pre>
 *
 * <p>A value is the record's Avro single-object encoding ({@code UserKey#toByteBuffer}), not the
 * registry's wire format: it names its schema by fingerprint, not by a registry id, so a backup
 * still restores after the registry was rebuilt and gave the schemas other ids. Every key in the
 * file is wrapped by a data key: without {@code DATA_KEYS} the file opens nothing.
 */
record KeyBackupFile(
    Instant takenAt, Map<String, UserKey> userKeys, Map<String, RetentionKey> retentionKeys) {

  static {
    AvroLimits.apply(); // it decodes Avro itself: the limits hold before its first decode
  }

  static final String MAGIC = "userpipe-keys-backup v1";
  private static final Pattern HEADER =
      Pattern.compile(
          Pattern.quote(MAGIC)
              + " taken=(\\S+) "
              + Pattern.quote(Topics.USER_KEYS.name())
              + "=(\\d+) "
              + Pattern.quote(Topics.RETENTION_KEYS.name())
              + "=(\\d+) sha256=([0-9a-f]{64})");

  /** Writes the backup to a new file, readable by its owner only; an existing file is refused. */
  void write(Path file) throws IOException {
    var body = new StringBuilder();
    userKeys.forEach((k, v) -> body.append(line(Topics.USER_KEYS.name(), k, encode(v))));
    retentionKeys.forEach((k, v) -> body.append(line(Topics.RETENTION_KEYS.name(), k, encode(v))));
    byte[] bytes = body.toString().getBytes(StandardCharsets.US_ASCII);
    String header =
        "%s taken=%s %s=%d %s=%d sha256=%s%n"
            .formatted(
                MAGIC,
                takenAt,
                Topics.USER_KEYS.name(),
                userKeys.size(),
                Topics.RETENTION_KEYS.name(),
                retentionKeys.size(),
                sha256(bytes));
    Path tmp = file.resolveSibling(file.getFileName() + ".partial");
    Files.deleteIfExists(tmp);
    create(tmp);
    Files.write(tmp, header.getBytes(StandardCharsets.US_ASCII));
    Files.write(tmp, bytes, java.nio.file.StandardOpenOption.APPEND);
    if (Files.exists(file)) {
      Files.delete(tmp);
      throw new FileAlreadyExistsException(file.toString());
    }
    // whole or not at all: a crash leaves the .partial file, never a truncated backup
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void create(Path file) throws IOException {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not a POSIX file system: its own access rules apply
    }
  }

  /**
   * Reads a backup and checks it whole before anything is restored from it.
   *
   * @throws IllegalArgumentException when the header, the counts or the checksum do not match the
   *     lines (a truncated or edited file), naming what is wrong
   */
  static KeyBackupFile read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    int newline = indexOf(all, (byte) '\n');
    if (newline < 0) {
      throw new IllegalArgumentException(file + " is not a key backup: no header line");
    }
    String header = new String(all, 0, newline, StandardCharsets.US_ASCII);
    Matcher m = HEADER.matcher(header);
    if (!m.matches()) {
      throw new IllegalArgumentException(file + " is not a key backup (" + MAGIC + " header)");
    }
    byte[] body = java.util.Arrays.copyOfRange(all, newline + 1, all.length);
    if (!sha256(body).equals(m.group(4))) {
      throw new IllegalArgumentException(
          file
              + ": the checksum does not match its lines (truncated or changed); nothing restored");
    }
    Instant taken;
    try {
      taken = Instant.parse(m.group(1));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(file + ": the header's time is not an instant");
    }
    var users = new LinkedHashMap<String, UserKey>();
    var retention = new LinkedHashMap<String, RetentionKey>();
    for (String line : new String(body, StandardCharsets.US_ASCII).split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split(" ");
      if (parts.length != 3) {
        throw new IllegalArgumentException(file + ": a line is not 'topic key value'");
      }
      String key = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
      ByteBuffer value = ByteBuffer.wrap(Base64.getDecoder().decode(parts[2]));
      if (parts[0].equals(Topics.USER_KEYS.name())) {
        UserKey k = UserKey.fromByteBuffer(value);
        requireSame(file, key, k.getUserId());
        users.put(key, k);
      } else if (parts[0].equals(Topics.RETENTION_KEYS.name())) {
        RetentionKey k = RetentionKey.fromByteBuffer(value);
        requireSame(file, key, k.getKeyId());
        retention.put(key, k);
      } else {
        throw new IllegalArgumentException(file + ": unknown topic " + parts[0]);
      }
    }
    if (users.size() != Integer.parseInt(m.group(2))
        || retention.size() != Integer.parseInt(m.group(3))) {
      throw new IllegalArgumentException(file + ": the counts do not match the header");
    }
    return new KeyBackupFile(taken, users, retention);
  }

  private static void requireSame(Path file, String key, String inValue) {
    if (!key.equals(inValue)) {
      throw new IllegalArgumentException(file + ": a record's key is not the id in its value");
    }
  }

  private static String line(String topic, String key, ByteBuffer value) {
    byte[] v = new byte[value.remaining()];
    value.get(v);
    return topic
        + " "
        + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))
        + " "
        + Base64.getEncoder().encodeToString(v)
        + "\n";
  }

  private static ByteBuffer encode(UserKey k) {
    try {
      return k.toByteBuffer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ByteBuffer encode(RetentionKey k) {
    try {
      return k.toByteBuffer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
