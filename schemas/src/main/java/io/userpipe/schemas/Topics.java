package io.userpipe.schemas;

import io.userpipe.schemas.TopicSpec.Cleanup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The topic catalogue: every topic the pipeline owns, declared once. Services, the topic creator,
 * the README's topic table and the tests all read it from here.
 *
 * <p>Every event topic has exactly one writer. Everything about one user is keyed by user id, so a
 * user's records stay in order on one partition.
 */
public final class Topics {

  /** Partitions of the user-keyed topics: enough to spread a few instances, cheap on one node. */
  public static final int USER_PARTITIONS = 6;

  private static final Duration WEEK = Duration.ofDays(7);

  public static final TopicSpec<String, UserCommand> USER_COMMANDS =
      new TopicSpec<>(
          "users.commands",
          String.class,
          UserCommand.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          WEEK,
          "projections (the HTTP edge); user-command-service (a create re-keyed to its phone);"
              + " bin/rotate-keys (operators)",
          "user-command-service",
          "The HTTP edge's commands, each for the platform whose API key the edge checked. Key: E.164"
              + " phone for CreateUser, user id otherwise. Upstream services write their own"
              + " platform's topic instead (platform.<id>.users.commands).");

  public static final TopicSpec<String, UserCommand> USER_COMMANDS_BY_USER =
      new TopicSpec<>(
          "users.commands.by-user",
          String.class,
          UserCommand.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          WEEK,
          "user-command-service",
          "user-command-service",
          "Commands that arrived on another partition than their user's, re-keyed by user id.");

  public static final TopicSpec<String, UserEvent> USER_EVENTS =
      new TopicSpec<>(
          "users.events",
          String.class,
          UserEvent.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          null,
          "user-command-service",
          "projections, tin-verifier, ofac-screener",
          "The user aggregate's events, kept forever so views can be rebuilt. Key: user id.");

  public static final TopicSpec<String, CommandResult> COMMAND_RESULTS =
      new TopicSpec<>(
          "users.command-results",
          String.class,
          CommandResult.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          WEEK,
          "user-command-service; ofac-screener (the results of OFAC commands and reviews)",
          "projections (command-status view); no platform (each reads its own platform.<id>"
              + ".command-results)",
          "Exactly one accepted or rejected result per command. Key: command id.");

  /**
   * Compacted, and compacted soon: a deleted user's key must not outlive the deletion by more than
   * an hour or so, since the key is what keeps the sealed personal data readable.
   */
  public static final TopicSpec<String, UserKey> USER_KEYS =
      new TopicSpec<>(
          "users.keys",
          String.class,
          UserKey.class,
          USER_PARTITIONS,
          Cleanup.COMPACT,
          null,
          "user-command-service",
          "projections, ofac-screener, tin-verifier, bin/rotate-keys (key ids only)",
          "Each user's own key, wrapped by a data key; a tombstone shreds the user's data. Key: user id.",
          Map.of(
              "segment.ms", Long.toString(Duration.ofHours(1).toMillis()),
              "min.cleanable.dirty.ratio", "0.01",
              "delete.retention.ms", Long.toString(Duration.ofHours(1).toMillis())));

  public static final TopicSpec<String, PhoneReleased> PHONE_RELEASES =
      new TopicSpec<>(
          "users.phone-releases",
          String.class,
          PhoneReleased.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          Duration.ofDays(1),
          "user-command-service",
          "user-command-service",
          "Phone numbers of deleted users, freed in the phone registry. Key: E.164 phone.");

  public static final TopicSpec<String, SmsMessage> SMS =
      new TopicSpec<>(
          "notifications.sms",
          String.class,
          SmsMessage.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          Duration.ofDays(1),
          "user-command-service",
          "user-command-service (its SMS sender, SmsRelay)",
          "Texts to send (one-time codes), recipient and text sealed. Key: user id.");

  /**
   * What became of each text message. Kept a week: a code lives minutes, so a view rebuilt later
   * than that shows no delivery for codes long dead.
   */
  public static final TopicSpec<String, SmsDelivery> SMS_DELIVERIES =
      new TopicSpec<>(
          "sms.deliveries",
          String.class,
          SmsDelivery.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          WEEK,
          "user-command-service (its SMS relay, and the provider's status callbacks)",
          "projections (the last code's delivery on the user view)",
          "What became of each text message: handed over, refused, rate-limited, delivered; never"
              + " the text or the number. Key: user id.");

  public static final TopicSpec<String, TinVerification> TIN_VERIFICATIONS =
      new TopicSpec<>(
          "tin.verifications",
          String.class,
          TinVerification.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          null,
          "tin-verifier",
          "projections",
          "TIN verification status changes (pending, matched, mismatched). Key: user id.");

  public static final TopicSpec<String, TinCheckRequest> TIN_REQUESTS =
      new TopicSpec<>(
          "tin.requests",
          String.class,
          TinCheckRequest.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          Duration.ofDays(1),
          "tin-verifier",
          "tin-verifier (its TIN-matching worker)",
          "Checks to ask the TIN-matching provider, sealed. Key: user id.");

  public static final TopicSpec<String, TinCheckResponse> TIN_RESPONSES =
      new TopicSpec<>(
          "tin.responses",
          String.class,
          TinCheckResponse.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          Duration.ofDays(1),
          "tin-verifier (its TIN-matching worker)",
          "tin-verifier",
          "The provider's answers (IRS codes), or 'not yet'. Key: user id.");

  /**
   * The topic operators' compliance systems subscribe to; its schema is a compatibility promise.
   * Operator-only: it names the platforms a person is connected to, so no platform is given it.
   */
  public static final TopicSpec<String, ComplianceEvent> COMPLIANCE_EVENTS =
      new TopicSpec<>(
          "compliance.events",
          String.class,
          ComplianceEvent.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          Duration.ofDays(30),
          "projections",
          "operators' compliance systems (see ComplianceTail); projections (where its replay"
              + " stands); webhooks (which tells each platform what it may know); never platforms",
          "Operator-only: users created, connected, disconnected, verified, deleted; TIN and OFAC status changes. Key: user id.");

  /**
   * Platforms' webhook endpoints, followed whole by every webhooks instance. Compacted and never
   * deleted by time: a tombstone deletes an endpoint.
   */
  public static final TopicSpec<String, WebhookEndpoint> WEBHOOK_ENDPOINTS =
      new TopicSpec<>(
          "webhooks.endpoints",
          String.class,
          WebhookEndpoint.class,
          1,
          Cleanup.COMPACT,
          null,
          "webhooks (its /v2/webhooks API; its delivery topology disables a failing endpoint)",
          "every webhooks instance",
          "Platforms' webhook endpoints: URL, event types, enabled or disabled, the signing"
              + " secrets sealed (never in plaintext). Key: endpoint id.");

  /** Co-partitioned with {@link #COMPLIANCE_EVENTS}: read back by the same tasks. */
  public static final TopicSpec<String, WebhookAttempt> WEBHOOK_ATTEMPTS =
      new TopicSpec<>(
          "webhooks.attempts",
          String.class,
          WebhookAttempt.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          WEEK,
          "webhooks (its delivery worker)",
          "webhooks",
          "What each webhook delivery attempt came to (ok, HTTP status, error); never the payload"
              + " or a secret. Key: user id.");

  public static final TopicSpec<String, OfacCommand> OFAC_COMMANDS =
      new TopicSpec<>(
          "ofac.commands",
          String.class,
          OfacCommand.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          WEEK,
          "projections (the HTTP edge, for platforms)",
          "ofac-screener",
          "The HTTP edge's ID-verification commands about a user's OFAC status; a review sent here"
              + " is refused. Key: user id. Upstream services write platform.<id>.ofac.commands.");

  /**
   * Operators' review decisions, apart from the platforms' {@link #OFAC_COMMANDS}: once the broker
   * has ACLs, only the operator principal may write here (docs/SECURITY.md), so no platform's
   * authority can carry a reviewer's decision.
   */
  public static final TopicSpec<String, OfacReview> OFAC_REVIEWS =
      new TopicSpec<>(
          "ofac.reviews",
          String.class,
          OfacReview.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          WEEK,
          "projections (the operator console, as the operator principal)",
          "ofac-screener",
          "Reviewers' decisions (clear, confirm) on users in review, each naming the authenticated"
              + " operator. Key: user id.");

  /**
   * Who may call the API: each platform's client id and the hashes of its API keys (the current one
   * and, during a rotation's grace period, the old one) as of its latest change. Compacted and
   * never deleted, so a retired platform stays retired and its client id is not given again.
   */
  public static final TopicSpec<String, PlatformCredential> PLATFORMS =
      new TopicSpec<>(
          "platforms",
          String.class,
          PlatformCredential.class,
          1,
          Cleanup.COMPACT,
          null,
          "bin/platforms (operators); a door seeding PLATFORMS into a cluster without the platform",
          "every HTTP door (projections, ofac-screener, webhooks)",
          "Platforms' API keys: added, rotated (old key valid for a grace period), retired; hashes,"
              + " never a key. Key: platform id.");

  /**
   * Who may operate: each operator's credential (a salted hash of its secret) as of its latest
   * change. Compacted and never deleted, so a retired operator stays retired.
   */
  public static final TopicSpec<String, OperatorCredential> OPERATORS =
      new TopicSpec<>(
          "operators",
          String.class,
          OperatorCredential.class,
          1,
          Cleanup.COMPACT,
          null,
          "bin/operators (operators)",
          "every HTTP door with /admin routes (projections, ofac-screener)",
          "Operators' credentials: added, rotated, retired; a salted hash, never the secret. Key:"
              + " operator id.");

  /**
   * Keys that seal whom each OFAC and TIN decision was about, one or more per month, wrapped by a
   * data key and written before their first use. Apart from {@link #USER_KEYS} by purpose: erasing
   * a person never touches them, so decision records stay readable for the legal period; a key is
   * tombstoned (shredded) once its month and {@code DECISION_RETENTION} have passed. Compacted soon
   * after, like users' keys.
   */
  public static final TopicSpec<String, RetentionKey> RETENTION_KEYS =
      new TopicSpec<>(
          "retention.keys",
          String.class,
          RetentionKey.class,
          1,
          Cleanup.COMPACT,
          null,
          "ofac-screener, tin-verifier (a key per month; tombstones once expired)",
          "ofac-screener, tin-verifier, bin/decisions (operators)",
          "Retention keys of decision records' subjects, wrapped by a data key; a tombstone shreds"
              + " a period's subjects. Key: key id.",
          Map.of(
              "segment.ms", Long.toString(Duration.ofHours(1).toMillis()),
              "min.cleanable.dirty.ratio", "0.01",
              "delete.retention.ms", Long.toString(Duration.ofHours(1).toMillis())));

  public static final TopicSpec<String, OfacStatusChanged> OFAC_SCREENINGS =
      new TopicSpec<>(
          "ofac.screenings",
          String.class,
          OfacStatusChanged.class,
          USER_PARTITIONS,
          Cleanup.DELETE,
          null,
          "ofac-screener",
          "projections; user-command-service (each user's OFAC status, for payouts)",
          "OFAC status changes with their evidence. Key: user id.");

  public static final TopicSpec<String, OfacListRecord> OFAC_LISTS =
      new TopicSpec<>(
          "ofac.lists",
          String.class,
          OfacListRecord.class,
          1,
          Cleanup.COMPACT,
          null,
          "ofac-screener (bin/ofac-list, POST /admin/ofac/lists)",
          "every ofac-screener instance",
          "SDN list versions: the files of each version and, under key 'current', the version in"
              + " force.",
          Map.of("max.message.bytes", Integer.toString(8 * 1024 * 1024)));

  /** Written by a view rebuild, read by the rebuilt service when it starts. */
  public static final TopicSpec<String, ReplayMarks> VIEWS_REPLAY_MARKS =
      new TopicSpec<>(
          "views.replay-marks",
          String.class,
          ReplayMarks.class,
          1,
          Cleanup.COMPACT,
          null,
          "bin/rebuild-views (operators)",
          "projections",
          "Where a view rebuild's replay ends: the offsets up to which compliance events were"
              + " already published. Key: application id.");

  public static final TopicSpec<byte[], byte[]> USER_COMMANDS_DLQ = deadLetters(USER_COMMANDS);

  public static final TopicSpec<byte[], byte[]> USER_COMMANDS_BY_USER_DLQ =
      deadLetters(USER_COMMANDS_BY_USER);

  public static final TopicSpec<byte[], byte[]> USER_EVENTS_DLQ = deadLetters(USER_EVENTS);

  public static final TopicSpec<byte[], byte[]> COMMAND_RESULTS_DLQ = deadLetters(COMMAND_RESULTS);

  public static final TopicSpec<byte[], byte[]> USER_KEYS_DLQ = deadLetters(USER_KEYS);

  public static final TopicSpec<byte[], byte[]> PHONE_RELEASES_DLQ = deadLetters(PHONE_RELEASES);

  public static final TopicSpec<byte[], byte[]> SMS_DLQ = deadLetters(SMS);

  public static final TopicSpec<byte[], byte[]> SMS_DELIVERIES_DLQ = deadLetters(SMS_DELIVERIES);

  public static final TopicSpec<byte[], byte[]> TIN_VERIFICATIONS_DLQ =
      deadLetters(TIN_VERIFICATIONS);

  public static final TopicSpec<byte[], byte[]> TIN_REQUESTS_DLQ = deadLetters(TIN_REQUESTS);

  public static final TopicSpec<byte[], byte[]> TIN_RESPONSES_DLQ = deadLetters(TIN_RESPONSES);

  public static final TopicSpec<byte[], byte[]> OFAC_COMMANDS_DLQ = deadLetters(OFAC_COMMANDS);

  public static final TopicSpec<byte[], byte[]> OFAC_REVIEWS_DLQ = deadLetters(OFAC_REVIEWS);

  public static final TopicSpec<byte[], byte[]> OPERATORS_DLQ = deadLetters(OPERATORS);

  public static final TopicSpec<byte[], byte[]> PLATFORMS_DLQ = deadLetters(PLATFORMS);

  public static final TopicSpec<byte[], byte[]> OFAC_SCREENINGS_DLQ = deadLetters(OFAC_SCREENINGS);

  public static final TopicSpec<byte[], byte[]> OFAC_LISTS_DLQ = deadLetters(OFAC_LISTS);

  public static final TopicSpec<byte[], byte[]> RETENTION_KEYS_DLQ = deadLetters(RETENTION_KEYS);

  public static final TopicSpec<byte[], byte[]> COMPLIANCE_EVENTS_DLQ =
      deadLetters(COMPLIANCE_EVENTS);

  public static final TopicSpec<byte[], byte[]> WEBHOOK_ENDPOINTS_DLQ =
      deadLetters(WEBHOOK_ENDPOINTS);

  public static final TopicSpec<byte[], byte[]> WEBHOOK_ATTEMPTS_DLQ =
      deadLetters(WEBHOOK_ATTEMPTS);

  private static final List<TopicSpec<?, ?>> ALL =
      List.of(
          USER_COMMANDS,
          USER_COMMANDS_BY_USER,
          USER_EVENTS,
          COMMAND_RESULTS,
          USER_KEYS,
          PHONE_RELEASES,
          SMS,
          SMS_DELIVERIES,
          TIN_VERIFICATIONS,
          TIN_REQUESTS,
          TIN_RESPONSES,
          COMPLIANCE_EVENTS,
          OFAC_COMMANDS,
          OFAC_REVIEWS,
          OFAC_SCREENINGS,
          OFAC_LISTS,
          PLATFORMS,
          RETENTION_KEYS,
          OPERATORS,
          VIEWS_REPLAY_MARKS,
          WEBHOOK_ENDPOINTS,
          WEBHOOK_ATTEMPTS,
          USER_COMMANDS_DLQ,
          USER_COMMANDS_BY_USER_DLQ,
          USER_EVENTS_DLQ,
          COMMAND_RESULTS_DLQ,
          USER_KEYS_DLQ,
          PHONE_RELEASES_DLQ,
          SMS_DLQ,
          SMS_DELIVERIES_DLQ,
          TIN_VERIFICATIONS_DLQ,
          TIN_REQUESTS_DLQ,
          TIN_RESPONSES_DLQ,
          OFAC_COMMANDS_DLQ,
          OFAC_REVIEWS_DLQ,
          PLATFORMS_DLQ,
          OPERATORS_DLQ,
          OFAC_SCREENINGS_DLQ,
          OFAC_LISTS_DLQ,
          RETENTION_KEYS_DLQ,
          COMPLIANCE_EVENTS_DLQ,
          WEBHOOK_ENDPOINTS_DLQ,
          WEBHOOK_ATTEMPTS_DLQ);

  /** Where every platform's own topics start: {@code platform.<encoded id>.}. */
  public static final String PLATFORM_TOPICS_PREFIX = "platform.";

  private static final String PLATFORM_USER_COMMANDS = ".users.commands";
  private static final String PLATFORM_OFAC_COMMANDS = ".ofac.commands";
  private static final String PLATFORM_COMMAND_RESULTS = ".command-results";
  private static final String ENCODED_ID = "([A-Za-z0-9_-]+)";

  /** Every platform's user-command topic, for a pattern subscription. */
  public static final Pattern PLATFORM_USER_COMMANDS_PATTERN =
      Pattern.compile(Pattern.quote(PLATFORM_TOPICS_PREFIX) + ENCODED_ID + "\\.users\\.commands");

  /** Every platform's OFAC-command topic, for a pattern subscription. */
  public static final Pattern PLATFORM_OFAC_COMMANDS_PATTERN =
      Pattern.compile(Pattern.quote(PLATFORM_TOPICS_PREFIX) + ENCODED_ID + "\\.ofac\\.commands");

  private static final Pattern ANY_PLATFORM_TOPIC =
      Pattern.compile(Pattern.quote(PLATFORM_TOPICS_PREFIX) + ENCODED_ID + "\\..+");

  /**
   * The prefix of one platform's topics, which its principal's prefixed ACLs name. The platform id
   * is encoded so that the prefix holds no other platform's: a platform id may contain '.', '_' and
   * '@', so each of these becomes '_' and its two hex digits ({@code acme.eu} becomes {@code
   * acme_2eeu}); the encoded id holds no '.', so {@code platform.acme.} is never the start of
   * {@code platform.acme_2eeu.}'s topics.
   */
  public static String platformTopicPrefix(String platformId) {
    return PLATFORM_TOPICS_PREFIX + encodePlatformId(platformId) + ".";
  }

  /**
   * A platform's own command topic (upstream services' Kafka door): the platform a command acts for
   * is the one whose topic the broker let the producer write. Co-partitioned with {@link
   * #USER_COMMANDS} and read by the same tasks, with no re-key hop.
   */
  public static TopicSpec<String, UserCommand> platformUserCommands(String platformId) {
    return new TopicSpec<>(
        platformTopicPrefix(platformId) + PLATFORM_USER_COMMANDS.substring(1),
        String.class,
        UserCommand.class,
        USER_PARTITIONS,
        Cleanup.DELETE,
        WEEK,
        "the platform's principal (upstream services); user-command-service re-keys a create here",
        "user-command-service",
        "Platform "
            + platformId
            + "'s commands. Key: E.164 phone for CreateUser, user id otherwise.");
  }

  /** A platform's own OFAC-command topic (ID verification), read by ofac-screener. */
  public static TopicSpec<String, OfacCommand> platformOfacCommands(String platformId) {
    return new TopicSpec<>(
        platformTopicPrefix(platformId) + PLATFORM_OFAC_COMMANDS.substring(1),
        String.class,
        OfacCommand.class,
        USER_PARTITIONS,
        Cleanup.DELETE,
        WEEK,
        "the platform's principal (upstream services)",
        "ofac-screener",
        "Platform " + platformId + "'s ID-verification commands. Key: user id.");
  }

  /**
   * The results of the commands a platform sent on its own topics, copied from {@link
   * #COMMAND_RESULTS} (which holds every platform's, so no platform may read it).
   */
  public static TopicSpec<String, CommandResult> platformCommandResults(String platformId) {
    return new TopicSpec<>(
        platformTopicPrefix(platformId) + PLATFORM_COMMAND_RESULTS.substring(1),
        String.class,
        CommandResult.class,
        USER_PARTITIONS,
        Cleanup.DELETE,
        WEEK,
        "user-command-service, ofac-screener",
        "the platform's principal (upstream services)",
        "Results of platform " + platformId + "'s Kafka-door commands. Key: command id.");
  }

  /**
   * The encoded id of the platform topics' anchors: no platform's, since a platform id starts with
   * a letter or a digit and its encoding keeps that first character.
   */
  static final String ANCHOR_ID = "-";

  /**
   * The anchors of the platforms' command patterns: {@code platform.-.users.commands} and {@code
   * platform.-.ofac.commands}, created with the catalogue and written by nothing. They keep each
   * pattern source matching a topic from the start. A Kafka Streams task whose pattern source
   * matched no topic when the task was created cannot take that source's first topic later: the
   * stream thread dies on "unknown to the topology" and the group waits out the dead member's
   * session (about 45 s) before the first platform added after a start is served. A record on an
   * anchor is dead-lettered ({@code PlatformDoor}).
   */
  public static List<TopicSpec<?, ?>> platformAnchors() {
    return List.of(
        anchor(PLATFORM_USER_COMMANDS, "user-command-service"),
        anchor(PLATFORM_OFAC_COMMANDS, "ofac-screener"));
  }

  /** Whether a topic is one of the {@link #platformAnchors()}. */
  public static boolean isPlatformAnchor(String topic) {
    return topic.startsWith(PLATFORM_TOPICS_PREFIX + ANCHOR_ID + ".");
  }

  private static TopicSpec<byte[], byte[]> anchor(String suffix, String reader) {
    return new TopicSpec<>(
        PLATFORM_TOPICS_PREFIX + ANCHOR_ID + suffix,
        byte[].class,
        byte[].class,
        USER_PARTITIONS,
        Cleanup.DELETE,
        WEEK,
        "nothing",
        reader,
        "Empty: keeps the platforms' command pattern matching before the first platform.");
  }

  /** The three topics a platform is given when it is added. */
  public static List<TopicSpec<?, ?>> forPlatform(String platformId) {
    return List.of(
        platformUserCommands(platformId),
        platformOfacCommands(platformId),
        platformCommandResults(platformId));
  }

  /** The platform whose topic this is, or empty when it is not a platform's topic. */
  public static Optional<String> platformOfTopic(String topic) {
    var m = ANY_PLATFORM_TOPIC.matcher(topic);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(decodePlatformId(m.group(1)));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not an encoding this catalogue writes
    }
  }

  static String encodePlatformId(String platformId) {
    var out = new StringBuilder(platformId.length());
    for (int i = 0; i < platformId.length(); i++) {
      char c = platformId.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
        out.append(c);
      } else if (c < 0x100) {
        out.append('_').append(String.format("%02x", (int) c));
      } else {
        throw new IllegalArgumentException("a platform id is ASCII: " + platformId);
      }
    }
    return out.toString();
  }

  static String decodePlatformId(String encoded) {
    var out = new StringBuilder(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '_') {
        if (i + 2 >= encoded.length()) {
          throw new IllegalArgumentException("a cut escape in " + encoded);
        }
        out.append((char) Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private Topics() {}

  /** Every topic, in the order the README lists them. */
  public static List<TopicSpec<?, ?>> all() {
    return ALL;
  }

  /**
   * The dead-letter topic of a source topic: {@code <source>.dlq}, raw bytes as they came; a
   * platform's command topic dead-letters to the shared command topic's, which names the source
   * topic in its headers.
   */
  public static String deadLetterName(String sourceTopic) {
    // a platform's command topics share the HTTP edge's dead-letter topics, which operators read
    if (sourceTopic.startsWith(PLATFORM_TOPICS_PREFIX)) {
      if (PLATFORM_USER_COMMANDS_PATTERN.matcher(sourceTopic).matches()) {
        return USER_COMMANDS.name() + ".dlq";
      }
      if (PLATFORM_OFAC_COMMANDS_PATTERN.matcher(sourceTopic).matches()) {
        return OFAC_COMMANDS.name() + ".dlq";
      }
    }
    return sourceTopic + ".dlq";
  }

  private static TopicSpec<byte[], byte[]> deadLetters(TopicSpec<?, ?> source) {
    return new TopicSpec<>(
        deadLetterName(source.name()),
        byte[].class,
        byte[].class,
        1,
        Cleanup.DELETE,
        Duration.ofDays(30),
        "the service that could not read a record of " + source.name(),
        "operators",
        "Unreadable records of " + source.name() + ", bytes untouched; headers name the error.");
  }
}
