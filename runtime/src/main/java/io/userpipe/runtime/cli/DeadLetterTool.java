package io.userpipe.runtime.cli;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.TopicCreator;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bin/dlq}: what was dead-lettered, why, and sending it through again once the cause is
 * fixed.
 *
 * <ul>
 *   <li>{@code list}: every {@code *.dlq} topic with its number of records.
 *   <li>{@code show TOPIC [--max N]}: each dead letter's coordinates, reason (the {@code x-dlq-*}
 *       headers) and the size and SHA-256 prefix of its bytes. The bytes themselves are never
 *       printed: they are a record as it was, and may hold sealed personal data.
 *   <li>{@code replay TOPIC [--max N]}: writes each dead letter, bytes untouched, back to the topic
 *       it came from ({@code x-dlq-source-topic}), with progress every 1,000 records. The replay's
 *       position is committed (group {@code APP_ID_PREFIX + dlq-replay}) after each flushed batch,
 *       so a second run goes on where the first stopped; a record written twice by a crash in
 *       between is decided once, since every command is de-duplicated by its id.
 * </ul>
 */
public final class DeadLetterTool {

  static final String SOURCE_TOPIC = "x-dlq-source-topic";
  static final String REPLAYED_FROM = "x-dlq-replayed-from";
  private static final Duration POLL = Duration.ofMillis(500);
  private static final int PROGRESS_EVERY = 1_000;

  private final AppConfig config;
  private final PrintStream out;

  DeadLetterTool(AppConfig config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    int status = new DeadLetterTool(AppConfig.fromEnv(), System.out).run(args);
    System.exit(status);
  }

  int run(String[] args) throws Exception {
    if (args.length == 0) {
      return usage();
    }
    int max = Integer.MAX_VALUE;
    for (int i = 1; i < args.length - 1; i++) {
      if (args[i].equals("--max")) {
        max = Integer.parseInt(args[i + 1]);
      }
    }
    switch (args[0]) {
      case "list":
        list();
        return 0;
      case "show":
        if (args.length < 2 || !args[1].endsWith(".dlq")) {
          return usage();
        }
        show(args[1], max);
        return 0;
      case "replay":
        if (args.length < 2 || !args[1].endsWith(".dlq")) {
          return usage();
        }
        return replay(args[1], max) >= 0 ? 0 : 1;
      default:
        return usage();
    }
  }

  private int usage() {
    out.println("usage: bin/dlq list | show TOPIC.dlq [--max N] | replay TOPIC.dlq [--max N]");
    return 2;
  }

  /** Every dead-letter topic and how many records it holds now. */
  Map<String, Long> list() throws InterruptedException, ExecutionException {
    Map<String, Long> counts = new java.util.TreeMap<>();
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config));
        var consumer = consumer(null)) {
      var topics = new TreeSet<>(admin.listTopics().names().get());
      topics.removeIf(t -> !t.endsWith(".dlq"));
      for (String topic : topics) {
        List<TopicPartition> partitions = partitions(consumer, topic);
        long count = 0;
        var begin = consumer.beginningOffsets(partitions);
        var end = consumer.endOffsets(partitions);
        for (var p : partitions) {
          count += end.get(p) - begin.get(p);
        }
        counts.put(topic, count);
        out.printf("%-40s %,d%n", topic, count);
      }
    }
    if (counts.isEmpty()) {
      out.println("no dead-letter topics");
    }
    return counts;
  }

  /** Prints each dead letter's coordinates and reason; never its bytes. */
  int show(String topic, int max) {
    int shown = 0;
    try (var consumer = consumer(null)) {
      var partitions = partitions(consumer, topic);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      while (shown < max && !caughtUp(consumer, end)) {
        for (var r : consumer.poll(POLL)) {
          if (shown >= max) {
            break;
          }
          out.printf(
              "%s-%d@%d  %s%n  from %s-%s@%s by %s%n  %s: %s%n  key %s, value %d bytes (sha256 %s)%n",
              r.topic(),
              r.partition(),
              r.offset(),
              Instant.ofEpochMilli(r.timestamp()),
              header(r, SOURCE_TOPIC),
              header(r, "x-dlq-source-partition"),
              header(r, "x-dlq-source-offset"),
              header(r, "x-dlq-service"),
              header(r, "x-dlq-error-class"),
              header(r, "x-dlq-error-message"),
              r.key() == null ? "null" : printable(r.key()),
              r.value() == null ? 0 : r.value().length,
              r.value() == null ? "-" : sha256Prefix(r.value()));
          shown++;
        }
      }
    }
    out.printf("%d dead letters shown%n", shown);
    return shown;
  }

  /**
   * Writes the dead letters back to their source topics, from where the last replay stopped.
   *
   * @return how many were replayed
   */
  long replay(String topic, int max) throws Exception {
    long replayed = 0;
    long skipped = 0;
    Map<String, Object> producerProps =
        new HashMap<>(ClientProps.durableWriter(config, "dlq-replay"));
    try (var consumer = consumer("dlq-replay");
        var producer =
            new KafkaProducer<>(
                producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
      var partitions = partitions(consumer, topic);
      consumer.assign(partitions);
      var committed = consumer.committed(new java.util.HashSet<>(partitions));
      for (var p : partitions) {
        OffsetAndMetadata at = committed.get(p);
        if (at == null) {
          consumer.seekToBeginning(List.of(p));
        } else {
          consumer.seek(p, at.offset());
        }
      }
      var end = consumer.endOffsets(partitions);
      long total = 0;
      for (var p : partitions) {
        total += end.get(p) - consumer.position(p);
      }
      out.printf("replaying up to %,d dead letters from %s%n", Math.min(total, max), topic);
      while (replayed + skipped < max && !caughtUp(consumer, end)) {
        var batch = consumer.poll(POLL);
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (var r : batch) {
          if (replayed + skipped >= max) {
            break;
          }
          String source = header(r, SOURCE_TOPIC);
          if (source == null || source.endsWith(".dlq")) {
            out.printf("skipped %s-%d@%d: no source topic%n", r.topic(), r.partition(), r.offset());
            skipped++;
          } else {
            var headers = new RecordHeaders();
            headers.add(
                REPLAYED_FROM,
                (r.topic() + "-" + r.partition() + "@" + r.offset())
                    .getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(source, null, r.key(), r.value(), headers));
            replayed++;
            if (replayed % PROGRESS_EVERY == 0) {
              out.printf("  %,d replayed%n", replayed);
            }
          }
          done.put(
              new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        producer.flush(); // written before the position moves past them
        if (!done.isEmpty()) {
          consumer.commitSync(done);
        }
      }
    }
    out.printf("%,d replayed, %,d skipped from %s%n", replayed, skipped, topic);
    return replayed;
  }

  private KafkaConsumer<byte[], byte[]> consumer(String group) {
    Map<String, Object> props =
        group == null
            ? new HashMap<>(TopicCreator.commonClientProps(config))
            : new HashMap<>(ClientProps.committedReader(config, group));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    var out = new ArrayList<TopicPartition>();
    for (var info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
      out.add(new TopicPartition(topic, info.partition()));
    }
    return out;
  }

  private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (var e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String printable(byte[] key) {
    String s = new String(key, StandardCharsets.UTF_8);
    return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && s.length() <= 200
        ? s
        : key.length + " bytes";
  }

  private static String sha256Prefix(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
