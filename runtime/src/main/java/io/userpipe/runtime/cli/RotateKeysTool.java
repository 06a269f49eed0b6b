package io.userpipe.runtime.cli;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.CompactedTopicFollower;
import io.userpipe.runtime.kafka.CompactedTopics;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.RewrapUserKey;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.vocabulary.RejectionCode;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bin/rotate-keys}: retiring a data key (issue 17, keys by purpose).
 *
 * <ul>
 *   <li>{@code status}: how many live users' keys each data key id wraps, read from {@code
 *       users.keys}, and how many retention keys on {@code retention.keys} (key ids only, never key
 *       material).
 *   <li>{@code rewrap [--operator ID]}: one {@code RewrapUserKey} per live user whose key an older
 *       data key wraps, to {@code users.commands} keyed by the user id; waits for their results,
 *       with progress every second, then reads {@code users.keys} again to check that every live
 *       user's key is under the active one.
 * </ul>
 *
 * <p>The re-wrap itself happens in user-command-service, in the user's own task: this tool only
 * chooses users by the key id their wrapped key names, so it needs no {@code DATA_KEYS}, only the
 * active key's id ({@code ACTIVE_DATA_KEY}, or the first id of {@code DATA_KEYS} as the services
 * default). A command's id is {@code rewrap-<user id>-<active key id>}: a re-run sends the same
 * commands, which the service decides once, and reads their results from {@code
 * users.command-results} (kept a week), so it scans that topic from its start.
 */
public final class RotateKeysTool {

  static final String USAGE = "usage: bin/rotate-keys status | rewrap [--operator ID]";

  /** How long rewrap waits with no new result before it stops waiting and checks users.keys. */
  static final Duration STALL = Duration.ofMinutes(2);

  private static final Duration PROGRESS = Duration.ofSeconds(1);
  private static final Duration POLL = Duration.ofMillis(200);

  private final AppConfig config;
  private final AvroSerdes serdes;
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final String defaultOperator;

  public RotateKeysTool(
      AppConfig config, PrintStream out, PrintStream err, String operator, Clock clock) {
    this.config = config;
    this.serdes = AvroSerdes.from(config);
    this.out = out;
    this.err = err;
    this.defaultOperator = operator;
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    var tool =
        new RotateKeysTool(
            AppConfig.fromEnv(),
            System.out,
            System.err,
            System.getProperty("user.name", "?"),
            Clock.systemUTC());
    System.exit(tool.run(args));
  }

  public int run(String[] args) throws Exception {
    List<String> a = List.of(args);
    if (a.equals(List.of("status"))) {
      return status();
    }
    if (a.equals(List.of("rewrap"))) {
      return rewrap(defaultOperator);
    }
    if (a.size() == 3 && a.get(0).equals("rewrap") && a.get(1).equals("--operator")) {
      return rewrap(a.get(2));
    }
    out.println(USAGE);
    return 2;
  }

  /** The active data key's id as the services have it: ACTIVE_DATA_KEY, else DATA_KEYS' first. */
  Optional<String> activeKeyId() {
    var named = config.find(DataKeys.ACTIVE_DATA_KEY).filter(s -> !s.isBlank());
    if (named.isPresent()) {
      return named.map(String::trim);
    }
    return config
        .find(DataKeys.DATA_KEYS)
        .flatMap(
            spec -> {
              for (String entry : spec.split(",")) {
                int colon = entry.indexOf(':');
                if (colon > 0) {
                  return Optional.of(entry.substring(0, colon).trim()); // the id, never the key
                }
              }
              return Optional.empty();
            });
  }

  /** Each live user's data key id, from users.keys as it is now (a tombstone: no live user). */
  Map<String, String> keyIdsByUser() {
    var byUser = new HashMap<String, String>();
    CompactedTopics.readAllToEnd(
        config,
        serdes,
        Topics.USER_KEYS,
        (userId, key) -> {
          if (key == null) {
            byUser.remove(userId);
          } else {
            byUser.put(userId, key.getWrappedKey().getKeyId());
          }
        });
    return byUser;
  }

  /** Each retention key's data key id, from retention.keys as it is now. */
  Map<String, String> keyIdsByRetentionKey() {
    var byKey = new TreeMap<String, String>();
    CompactedTopics.readToEnd(
        config,
        serdes,
        Topics.RETENTION_KEYS,
        partitions -> 0,
        (keyId, key) -> {
          if (key == null) {
            byKey.remove(keyId);
          } else {
            byKey.put(keyId, key.getWrappedKey().getKeyId());
          }
        });
    return byKey;
  }

  private int status() {
    Optional<String> active = activeKeyId();
    Map<String, String> byUser = keyIdsByUser();
    printStatus(byUser, active);
    var counts = new TreeMap<String, Integer>();
    keyIdsByRetentionKey().values().forEach(id -> counts.merge(id, 1, Integer::sum));
    out.println(
        "retention keys (re-wrapped by ofac-screener and tin-verifier when they start): "
            + (counts.isEmpty() ? "none" : counts.toString().replaceAll("[{}]", "")));
    return 0;
  }

  private void printStatus(Map<String, String> byUser, Optional<String> active) {
    var counts = new TreeMap<String, Integer>();
    byUser.values().forEach(id -> counts.merge(id, 1, Integer::sum));
    out.println(
        "active data key: "
            + active.orElse("unknown (set ACTIVE_DATA_KEY)")
            + "; live users: "
            + byUser.size());
    counts.forEach(
        (id, n) ->
            out.println(
                "  "
                    + id
                    + ": "
                    + n
                    + (n == 1 ? " user" : " users")
                    + (active.filter(id::equals).isPresent() ? " (active)" : "")));
    active.ifPresent(
        id -> {
          long old = byUser.values().stream().filter(k -> !k.equals(id)).count();
          out.println(
              old == 0
                  ? "every live user's key is under " + id
                  : old + " live users' keys are under an older data key: bin/rotate-keys rewrap");
        });
  }

  private int rewrap(String operator) throws Exception {
    Optional<String> found = activeKeyId();
    if (found.isEmpty() || operator == null || operator.isBlank()) {
      out.println(
          found.isEmpty()
              ? "set ACTIVE_DATA_KEY to the id of the data key the services have active"
              : USAGE);
      return 2;
    }
    String active = found.get();
    // users in the order of their ids, so that two runs send in the same order
    var todo = new TreeMap<String, String>();
    keyIdsByUser()
        .forEach(
            (userId, keyId) -> {
              if (!keyId.equals(active)) {
                todo.put(commandId(userId, active), userId);
              }
            });
    out.println(
        "rewrap: "
            + todo.size()
            + " live users' keys are under an older data key than "
            + active
            + "; sending their RewrapUserKey as operator:"
            + operator);
    var outcomes = new LinkedHashMap<String, CommandResult>();
    if (!todo.isEmpty()) {
      send(todo, operator);
      await(todo, outcomes);
    }
    int accepted = 0;
    int gone = 0;
    var failed = new ArrayList<String>();
    for (var e : todo.entrySet()) {
      CommandResult r = outcomes.get(e.getKey());
      if (r == null) {
        failed.add(e.getValue() + ": no result");
      } else if (r.getOutcome() == CommandOutcome.ACCEPTED) {
        accepted++;
      } else if (RejectionCode.NOT_FOUND.wire().equals(r.getRejection().getCode())) {
        gone++; // deleted since users.keys was read: its key is shredded, nothing to re-wrap
      } else {
        failed.add(e.getValue() + ": " + r.getRejection().getCode());
      }
    }
    out.println(
        "rewrap: "
            + accepted
            + " accepted, "
            + gone
            + " deleted meanwhile, "
            + failed.size()
            + " failed");
    failed.forEach(f -> out.println("  failed " + f));
    // the proof is users.keys itself: every live user's key under the active data key
    Map<String, String> after = keyIdsByUser();
    printStatus(after, found);
    boolean done = after.values().stream().allMatch(active::equals);
    if (!done && failed.isEmpty()) {
      out.println(
          "some keys are still under an older data key: do the services have "
              + active
              + " active (ACTIVE_DATA_KEY)? Run again once they do");
    }
    return failed.isEmpty() && done ? 0 : 1;
  }

  static String commandId(String userId, String activeKeyId) {
    return "rewrap-" + userId + "-" + activeKeyId;
  }

  private void send(Map<String, String> todo, String operator) throws Exception {
    Instant now = clock.instant();
    try (var producer =
        new KafkaProducer<>(
            ClientProps.durableWriter(config, "rotate-keys"),
            new StringSerializer(),
            serdes.valueSerde(Topics.USER_COMMANDS).serializer())) {
      var sent = new ArrayList<Future<RecordMetadata>>();
      for (var e : todo.entrySet()) {
        String userId = e.getValue();
        var command =
            UserCommand.newBuilder()
                .setCommandId(e.getKey())
                .setPlatformId("operator:" + operator)
                .setIssuedAt(now)
                .setUserId(userId)
                .setPayload(new RewrapUserKey(operator))
                .build();
        sent.add(producer.send(new ProducerRecord<>(Topics.USER_COMMANDS.name(), userId, command)));
      }
      producer.flush();
      for (var f : sent) {
        f.get(); // every command is on the topic before we wait for its result
      }
    }
  }

  /**
   * Reads users.command-results from its start (a re-run's commands were decided before, and are
   * answered only once) until every command has its result, printing progress every second; stops
   * waiting after {@link #STALL} with no new result.
   */
  private void await(Map<String, String> todo, Map<String, CommandResult> outcomes) {
    try (var consumer =
        new KafkaConsumer<>(
            CompactedTopicFollower.readerProps(config),
            new StringDeserializer(),
            serdes.valueSerde(Topics.COMMAND_RESULTS).deserializer())) {
      var partitions =
          consumer.partitionsFor(Topics.COMMAND_RESULTS.name()).stream()
              .map(p -> new TopicPartition(Topics.COMMAND_RESULTS.name(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Instant lastNews = clock.instant();
      Instant lastPrint = Instant.EPOCH;
      while (outcomes.size() < todo.size()) {
        for (var r : consumer.poll(POLL)) {
          if (r.value() != null
              && todo.containsKey(r.key())
              && outcomes.putIfAbsent(r.key(), r.value()) == null) {
            lastNews = clock.instant();
          }
        }
        Instant now = clock.instant();
        if (!now.isBefore(lastPrint.plus(PROGRESS))) {
          err.println("rewrap: " + outcomes.size() + " of " + todo.size() + " decided");
          lastPrint = now;
        }
        if (now.isAfter(lastNews.plus(STALL))) {
          err.println(
              "rewrap: no result for "
                  + STALL.toSeconds()
                  + " s; "
                  + (todo.size() - outcomes.size())
                  + " undecided (is user-command-service running?)");
          return;
        }
      }
      err.println("rewrap: " + outcomes.size() + " of " + todo.size() + " decided");
    }
  }
}
