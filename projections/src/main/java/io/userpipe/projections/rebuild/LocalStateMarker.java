package io.userpipe.projections.rebuild;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rebuild an instance's local state belongs to: a file beside the Streams state ({@code <state
 * dir>/rebuild-id}). An instance that starts and finds a newer rebuild on {@code
 * views.replay-marks} wipes its stores first, since their changelogs are gone.
 */
public final class LocalStateMarker {

  private final Path file;

  public LocalStateMarker(Path serviceStateDir) {
    this.file = serviceStateDir.resolve("rebuild-id");
  }

  /** Whether the local state was wiped for {@code rebuildId} already. */
  public boolean isFor(String rebuildId) {
    try {
      return Files.exists(file)
          && Files.readString(file, StandardCharsets.UTF_8).strip().equals(rebuildId);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public void record(String rebuildId) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("rebuild-id.tmp");
      Files.writeString(tmp, rebuildId + "\n", StandardCharsets.UTF_8);
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
