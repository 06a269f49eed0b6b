package io.userpipe.projections.console;

import java.time.Instant;
import java.util.List;

/**
 * One user waiting in the review queue, as the console lists them: since when they wait in their
 * status, the list version of their case and its screening version, how many entries they matched
 * and the best of them, and the platforms connected to them.
 */
record QueueRow(
    String userId,
    String status,
    Instant waitingSince,
    String listVersion,
    Long screeningVersion,
    int entries,
    String topEntry,
    double topScore,
    List<String> platforms) {

  QueueRow {
    platforms = List.copyOf(platforms);
  }
}
