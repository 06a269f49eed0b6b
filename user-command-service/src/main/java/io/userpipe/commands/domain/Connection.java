package io.userpipe.commands.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One platform's connection to a person. A platform that finds the person by phone number is
 * pending until the person confirms with a code sent on its behalf; only then does it see the
 * person's shared profile. Its metadata is its own: no other platform reads it.
 *
 * @param fieldsSent the profile fields (JSON names) this platform sent itself, by create or update
 * @param sent while pending, the values it sent with its create (never merged into the profile);
 *     null once connected
 */
public record Connection(
    Status status,
    Set<String> fieldsSent,
    Map<String, String> metadata,
    Profile sent,
    Instant since) {

  public enum Status {
    PENDING,
    CONNECTED
  }

  public Connection {
    fieldsSent = Collections.unmodifiableSortedSet(new TreeSet<>(fieldsSent)); // a stable order
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /**
   * A platform connected before connections existed: it keeps seeing every field, as it did.
   * Metadata is given only to the creator (the old single metadata map was the creator's).
   */
  public static Connection legacy(Map<String, String> metadata, Instant since) {
    return new Connection(Status.CONNECTED, Profile.ALL_FIELDS, metadata, null, since);
  }

  public boolean pending() {
    return status == Status.PENDING;
  }

  Connection confirmed() {
    return new Connection(Status.CONNECTED, fieldsSent, metadata, null, since);
  }

  Connection withFieldsSent(Set<String> more) {
    var all = new TreeSet<>(fieldsSent);
    all.addAll(more);
    return new Connection(status, all, metadata, sent, since);
  }

  Connection withMetadata(Map<String, String> newMetadata) {
    return new Connection(status, fieldsSent, newMetadata, sent, since);
  }
}
