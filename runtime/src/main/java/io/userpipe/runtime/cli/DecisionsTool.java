package io.userpipe.runtime.cli;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.RetentionKeys;
import io.userpipe.runtime.crypto.RetentionPolicy;
import io.userpipe.runtime.kafka.CompactedTopics;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.DecisionSubject;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.TopicSpec;
import io.userpipe.schemas.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Utils;

/**
 * {@code bin/decisions USER_ID}: an operator's view of one person's OFAC and TIN decision records,
 * with whom each was about opened from its retention key, also after the person was erased (their
 * user key shredded) and until the retention period ends ({@code DECISION_RETENTION}). Reads the
 * user's partition of {@code ofac.screenings} and {@code tin.verifications} and the retention keys
 * on {@code retention.keys}; needs {@code DATA_KEYS}, which unwrap those keys. Writes nothing. A
 * TIN is shown by its type and last four digits only: no record holds more.
 */
public final class DecisionsTool {

  private final AppConfig config;
  private final AvroSerdes serdes;
  private final PrintStream out;
  private final Clock clock;

  public DecisionsTool(AppConfig config, PrintStream out, Clock clock) {
    this.config = config;
    this.serdes = AvroSerdes.from(config);
    this.out = out;
    this.clock = clock;
  }

  public static void main(String[] args) {
    System.exit(new DecisionsTool(AppConfig.fromEnv(), System.out, Clock.systemUTC()).run(args));
  }

  public int run(String[] args) {
    if (args.length != 1 || args[0].isBlank()) {
      out.println("usage: bin/decisions USER_ID");
      return 2;
    }
    String userId = args[0];
    RetentionKeys ring = ring();
    int shown = 0;
    for (var r : readUser(Topics.OFAC_SCREENINGS, userId)) {
      OfacStatusChanged c = r;
      out.printf(
          "%s ofac %s -> %s (%s)%s list %s, %d evidence; subject: %s%n",
          c.getOccurredAt(),
          c.getPreviousStatus(),
          c.getStatus(),
          c.getReason(),
          c.getReviewer() == null ? "" : " by " + c.getReviewer(),
          c.getListVersion(),
          c.getEvidence().size(),
          subject(ring, userId, c.getSubject()));
      shown++;
    }
    for (var v : readUser(Topics.TIN_VERIFICATIONS, userId)) {
      out.printf(
          "%s tin %s -> %s (%s) submission %s; subject: %s%n",
          v.getOccurredAt(),
          v.getFromStatus(),
          v.getToStatus(),
          v.getReason(),
          v.getSubmissionId(),
          subject(ring, userId, v.getSubject()));
      shown++;
    }
    if (shown == 0) {
      out.println("no decision records for user " + userId);
    }
    return 0;
  }

  private static String subject(RetentionKeys ring, String userId, EncryptedValue sealed) {
    if (sealed == null) {
      return "not recorded";
    }
    try {
      return ring.open(userId, sealed)
          .map(DecisionsTool::describe)
          .orElse("shredded (retention key " + sealed.getKeyId() + " gone or expired)");
    } catch (DataKeys.CryptoException e) {
      return "cannot be opened with these DATA_KEYS (retention key " + sealed.getKeyId() + ")";
    }
  }

  static String describe(DecisionSubject s) {
    var parts = new ArrayList<String>();
    parts.add(s.getName());
    if (s.getDateOfBirth() != null) {
      parts.add("born " + s.getDateOfBirth());
    }
    if (s.getCountry() != null) {
      parts.add("country " + s.getCountry());
    }
    if (s.getTinType() != null) {
      parts.add(s.getTinType() + " ending " + s.getTinLastFour());
    }
    // OFAC: the tax forms' names screened beside the profile's, each with its source
    for (var n : s.getFormNames()) {
      parts.add(
          n.getSource()
              + " "
              + n.getName()
              + (n.getDateOfBirth() == null ? "" : " born " + n.getDateOfBirth())
              + (n.getCountry() == null ? "" : " country " + n.getCountry()));
    }
    return String.join(", ", parts);
  }

  /** The retention keys as the topic holds them now; this tool never makes one. */
  private RetentionKeys ring() {
    var ring =
        new RetentionKeys(
            DataKeys.from(config),
            RetentionPolicy.from(config),
            clock,
            k -> {
              throw new IllegalStateException("bin/decisions makes no retention key");
            });
    CompactedTopics.readToEnd(
        config, serdes, Topics.RETENTION_KEYS, (keyId, key) -> ring.apply(keyId, key));
    return ring;
  }

  /** The user's records on a user-keyed topic: only the partition their id hashes to is read. */
  private <V> List<V> readUser(TopicSpec<String, V> topic, String userId) {
    var found = new ArrayList<V>();
    byte[] key = userId.getBytes(StandardCharsets.UTF_8);
    TopicCreator.ensure(config, List.of(topic));
    CompactedTopics.readToEnd(
        config,
        serdes,
        topic,
        partitions -> Utils.toPositive(Utils.murmur2(key)) % partitions,
        (k, v) -> {
          if (userId.equals(k) && v != null) {
            found.add(v);
          }
        });
    return found;
  }
}
