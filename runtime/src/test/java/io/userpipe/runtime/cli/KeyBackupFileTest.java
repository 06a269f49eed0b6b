package io.userpipe.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.RetentionKey;
import io.userpipe.schemas.UserKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup file: read back whole, owner-only, never overwritten, a changed line refused. */
class KeyBackupFileTest {

  @TempDir Path dir;

  private static KeyBackupFile sample() {
    var wrapped =
        new EncryptedValue(
            "k1", ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3}));
    var users = new LinkedHashMap<String, UserKey>();
    users.put("user:a b/ü", new UserKey("user:a b/ü", wrapped));
    var retention =
        Map.of(
            "retention:2026-12:ab",
            new RetentionKey(
                "retention:2026-12:ab", "2026-12", wrapped, Instant.parse("2026-12-01T00:00:00Z")));
    return new KeyBackupFile(Instant.parse("2026-12-03T07:00:00Z"), users, retention);
  }

  @Test
  void readsBackWhatItWroteAndOnlyItsOwnerMayReadIt() throws Exception {
    Path file = dir.resolve("keys.backup");
    sample().write(file);

    var read = KeyBackupFile.read(file);

    assertEquals(sample(), read);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(
        Files.readString(file).startsWith(KeyBackupFile.MAGIC + " taken=2026-12-03T07:00:00Z"));
  }

  @Test
  void neverOverwritesAFile() throws Exception {
    Path file = dir.resolve("keys.backup");
    Files.writeString(file, "an older backup");

    assertThrows(FileAlreadyExistsException.class, () -> sample().write(file));
    assertEquals("an older backup", Files.readString(file));
  }

  @Test
  void refusesATruncatedOrChangedFile() throws Exception {
    Path file = dir.resolve("keys.backup");
    sample().write(file);
    var lines = Files.readAllLines(file, StandardCharsets.US_ASCII);

    Files.writeString(dir.resolve("truncated"), lines.get(0) + "\n" + lines.get(1) + "\n");
    var truncated =
        assertThrows(
            IllegalArgumentException.class, () -> KeyBackupFile.read(dir.resolve("truncated")));
    assertTrue(truncated.getMessage().contains("checksum"), truncated.getMessage());

    Files.writeString(dir.resolve("not-a-backup"), "hello\n");
    assertThrows(
        IllegalArgumentException.class, () -> KeyBackupFile.read(dir.resolve("not-a-backup")));
  }
}
