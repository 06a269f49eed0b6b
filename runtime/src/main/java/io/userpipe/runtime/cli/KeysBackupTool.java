package io.userpipe.runtime.cli;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.RetentionPolicy;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.CompactedTopics;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroLimits;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.RetentionKey;
import io.userpipe.schemas.TopicSpec;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserKey;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bin/backup-keys backup FILE | restore FILE}: the keys without which every person's data
 * and every decision record's subject is lost, kept apart from the cluster.
 *
 * <ul>
 *   <li>{@code backup FILE} reads {@code users.keys} and {@code retention.keys} to their end and
 *       writes their live records to a new file ({@link KeyBackupFile}), readable by its owner
 *       only. It holds only wrapped keys: useless without {@code DATA_KEYS}, which are backed up
 *       apart (a secrets manager), never next to the file.
 *   <li>{@code restore FILE} writes back the keys of the file that the topics lack and that were
 *       not shredded on purpose since ({@link KeyRestorePlan}: a person deleted on {@code
 *       users.events}, a retention key past its period), and prints each key's outcome. It refuses
 *       while user-command-service, ofac-screener or tin-verifier runs: they write these topics,
 *       and an erasure decided between the check and the write would be undone.
 * </ul>
 *
 * <p>Neither needs {@code DATA_KEYS}: nothing is unwrapped.
 */
public final class KeysBackupTool {

  /** The services that write the two topics: a restore waits until none of them runs. */
  static final List<String> WRITERS =
      List.of("user-command-service", "ofac-screener", "tin-verifier");

  private static final int PROGRESS_EVERY = 10_000;

  private final AppConfig config;
  private final AvroSerdes serdes;
  private final PrintStream out;
  private final Clock clock;

  public KeysBackupTool(AppConfig config, PrintStream out, Clock clock) {
    this.config = config;
    this.serdes = AvroSerdes.from(config);
    this.out = out;
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    AvroLimits.apply(); // before anything decodes
    System.exit(new KeysBackupTool(AppConfig.fromEnv(), System.out, Clock.systemUTC()).run(args));
  }

  public int run(String[] args) throws Exception {
    if (args.length != 2 || !List.of("backup", "restore").contains(args[0])) {
      out.println("usage: bin/backup-keys backup FILE | restore FILE");
      return 2;
    }
    Path file = Path.of(args[1]);
    try {
      if (args[0].equals("backup")) {
        backup(file);
      } else {
        restore(file);
      }
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      out.println("refused: " + e.getMessage());
      return 1;
    } catch (FileAlreadyExistsException e) {
      out.println("refused: " + file + " exists; a backup never overwrites one");
      return 1;
    } catch (NoSuchFileException e) {
      out.println("refused: no file " + file);
      return 1;
    }
  }

  /** Writes the live keys of both topics to a new {@code file}, and answers what it holds. */
  KeyBackupFile backup(Path file) throws IOException, InterruptedException, ExecutionException {
    requireTopics(Topics.USER_KEYS, Topics.RETENTION_KEYS);
    var taken = clock.instant();
    var users = new LinkedHashMap<String, UserKey>();
    readAll(Topics.USER_KEYS, (k, v) -> latest(users, k, v));
    var retention = new LinkedHashMap<String, RetentionKey>();
    readAll(Topics.RETENTION_KEYS, (k, v) -> latest(retention, k, v));
    var backup = new KeyBackupFile(taken, users, retention);
    backup.write(file);
    out.printf(
        "backed up %d user keys and %d retention keys (as of %s) to %s%n",
        users.size(), retention.size(), taken, file);
    out.println(
        "The file holds only wrapped keys: they open nothing without DATA_KEYS. Back DATA_KEYS up"
            + " separately (a secrets manager), never next to this file; a data key removed since"
            + " leaves the keys it wrapped unopenable.");
    return backup;
  }

  /** Writes back what {@link KeyRestorePlan} allows, and answers each key's outcome. */
  List<KeyRestorePlan.Decision> restore(Path file)
      throws IOException, InterruptedException, ExecutionException {
    KeyBackupFile backup = KeyBackupFile.read(file);
    out.printf(
        "%s: %d user keys and %d retention keys, taken %s; checksum verified%n",
        file, backup.userKeys().size(), backup.retentionKeys().size(), backup.takenAt());
    refuseWhileWritersRun();
    requireTopics(Topics.USER_EVENTS);
    TopicCreator.ensure(config, List.of(Topics.USER_KEYS, Topics.RETENTION_KEYS));

    var usersNow = new HashMap<String, Boolean>();
    readAll(Topics.USER_KEYS, (k, v) -> usersNow.put(k, v != null));
    var retentionNow = new HashMap<String, Boolean>();
    readAll(Topics.RETENTION_KEYS, (k, v) -> retentionNow.put(k, v != null));
    var lives = new HashMap<String, KeyRestorePlan.Life>();
    readAll(Topics.USER_EVENTS, (k, v) -> KeyRestorePlan.fold(lives, v));

    var decisions =
        new KeyRestorePlan(
                usersNow, retentionNow, lives, RetentionPolicy.from(config), clock.instant())
            .decide(backup);
    write(backup, decisions);
    for (var d : decisions) {
      out.println(d);
    }
    out.println(KeyRestorePlan.summary(decisions));
    return decisions;
  }

  private void write(KeyBackupFile backup, List<KeyRestorePlan.Decision> decisions)
      throws InterruptedException, ExecutionException {
    var sent = new ArrayList<Future<RecordMetadata>>();
    try (var users =
            new KafkaProducer<>(
                ClientProps.durableWriter(config, "backup-keys-restore"),
                new StringSerializer(),
                serdes.valueSerde(Topics.USER_KEYS).serializer());
        var retention =
            new KafkaProducer<>(
                ClientProps.durableWriter(config, "backup-keys-restore-retention"),
                new StringSerializer(),
                serdes.valueSerde(Topics.RETENTION_KEYS).serializer())) {
      for (var d : decisions) {
        if (d.outcome() != KeyRestorePlan.Outcome.RESTORED) {
          continue;
        }
        if (d.topic().equals(Topics.USER_KEYS.name())) {
          sent.add(
              users.send(new ProducerRecord<>(d.topic(), d.key(), backup.userKeys().get(d.key()))));
        } else {
          sent.add(
              retention.send(
                  new ProducerRecord<>(d.topic(), d.key(), backup.retentionKeys().get(d.key()))));
        }
        if (sent.size() % PROGRESS_EVERY == 0) {
          out.printf("%d keys written%n", sent.size());
        }
      }
      users.flush();
      retention.flush();
      for (var f : sent) {
        f.get(); // every key durably on its topic, or the restore fails loudly
      }
    }
  }

  /**
   * Refuses before anything reads a topic that does not exist: a consumer could have a broker that
   * creates topics on demand make it, with none of the catalogue's settings (a users.keys that is
   * not compacted, an empty users.events).
   */
  private void requireTopics(TopicSpec<?, ?>... topics)
      throws InterruptedException, ExecutionException {
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      var names = admin.listTopics().names().get();
      for (var topic : topics) {
        if (!names.contains(topic.name())) {
          throw new IllegalStateException(
              topic.name() + " does not exist on this cluster (KAFKA_BOOTSTRAP_SERVERS)");
        }
      }
    }
  }

  private void refuseWhileWritersRun() throws InterruptedException, ExecutionException {
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      var running = new ArrayList<String>();
      for (String service : WRITERS) {
        String group = config.appIdPrefix() + service;
        ConsumerGroupDescription d;
        try {
          d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof GroupIdNotFoundException) {
            continue;
          }
          throw e;
        }
        if (d != null && !d.members().isEmpty()) {
          running.add(group + " (" + d.members().size() + " instance(s))");
        }
      }
      if (!running.isEmpty()) {
        throw new IllegalStateException(
            "stop every instance of "
                + running
                + " first: they write the key topics, and an erasure decided during the restore"
                + " could be undone");
      }
    }
  }

  /** Every record of every partition of {@code topic}, each partition in order, with progress. */
  private <V> void readAll(TopicSpec<String, V> topic, BiConsumer<String, V> apply) {
    int[] partitions = {1};
    long[] read = {0};
    for (int p = 0; p < partitions[0]; p++) {
      int partition = p;
      CompactedTopics.readToEnd(
          config,
          serdes,
          topic,
          count -> {
            if (count == 0) {
              throw new IllegalStateException(topic.name() + " does not exist on this cluster");
            }
            partitions[0] = count;
            return partition;
          },
          (k, v) -> {
            apply.accept(k, v);
            if (++read[0] % PROGRESS_EVERY == 0) {
              out.printf("%s: %d records read%n", topic.name(), read[0]);
            }
          });
    }
    out.printf("%s: read to its end, %d records%n", topic.name(), read[0]);
  }

  private static <V> void latest(Map<String, V> live, String key, V value) {
    if (value == null) {
      live.remove(key); // a tombstone: shredded, not backed up
    } else {
      live.put(key, value);
    }
  }
}
