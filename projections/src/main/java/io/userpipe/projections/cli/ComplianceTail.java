package io.userpipe.projections.cli;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.Json;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.ComplianceEvent;
import io.userpipe.schemas.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Tails the public compliance events as JSON lines — how a downstream team consumes them, and a
 * handy operator's tool:
 *
 * <pre>
 * ComplianceTail [--from-beginning] [--user USER_ID] [--type TYPE] [--max N]
 * </pre>
 *
 * The cluster and registry come from {@code KAFKA_BOOTSTRAP_SERVERS} and {@code
 * SCHEMA_REGISTRY_URL}. A consumer of this topic needs only the registry and the Avro schema: read
 * committed records, keyed by user id, ignore event types you do not know.
 */
public final class ComplianceTail {

  public record Options(boolean fromBeginning, String user, String type, long max) {

    static Options parse(String[] args) {
      boolean fromBeginning = false;
      String user = null;
      String type = null;
      long max = Long.MAX_VALUE;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--from-beginning" -> fromBeginning = true;
          case "--user" -> user = value(args, ++i, "--user");
          case "--type" -> type = value(args, ++i, "--type");
          case "--max" -> max = Long.parseLong(value(args, ++i, "--max"));
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + args[i]
                      + "; use [--from-beginning] [--user ID] [--type TYPE] [--max N]");
        }
      }
      return new Options(fromBeginning, user, type, max);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    boolean wants(ComplianceEvent e) {
      return (user == null || user.equals(e.getUserId()))
          && (type == null || type.equals(e.getType()));
    }
  }

  private ComplianceTail() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    tail(AppConfig.fromEnv(), options, System.out);
  }

  /** Prints matching events until {@code max} are printed (or forever). */
  public static void tail(AppConfig config, Options options, PrintStream out) throws Exception {
    var serdes = AvroSerdes.from(config);
    var props = new HashMap<String, Object>(TopicCreator.commonClientProps(config));
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "compliance-tail-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, options.fromBeginning() ? "earliest" : "latest");
    var topic = Topics.COMPLIANCE_EVENTS;
    try (var consumer =
        new KafkaConsumer<>(
            props,
            serdes.keySerde(topic).deserializer(),
            serdes.valueSerde(topic).deserializer())) {
      consumer.subscribe(List.of(topic.name()));
      long printed = 0;
      while (printed < options.max()) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() != null && options.wants(record.value()) && printed < options.max()) {
            out.println(Json.mapper().writeValueAsString(json(record.value())));
            printed++;
          }
        }
      }
    }
  }

  static Map<String, Object> json(ComplianceEvent e) {
    var json = new LinkedHashMap<String, Object>();
    json.put("event_id", e.getEventId());
    json.put("user_id", e.getUserId());
    json.put("type", e.getType());
    json.put("previous_status", e.getPreviousStatus());
    json.put("new_status", e.getNewStatus());
    json.put("reason", e.getReason());
    json.put("evidence", e.getEvidence());
    json.put("platform_id", e.getPlatformId());
    json.put("occurred_at", e.getOccurredAt().toString());
    return json;
  }
}
