package io.userpipe.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.userpipe.runtime.registry.SchemaRegistryClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.zip.GZIPInputStream;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The upgrade fixture ({@code src/test/resources/upgrade/}, its README says how it was written):
 * everything a cluster of the previous version held, read from the file and restored onto a fresh
 * broker and registry as an in-place upgrade finds it. Schemas get new ids from the new registry,
 * so every Avro value's id is rewritten; records are produced in their partition's order with their
 * headers and timestamps (moved forward together, as if the old version stopped a minute ago); and
 * each consumer group's committed offset is moved to where the same record now sits (the old log
 * had transaction markers between records, the restored one has none).
 */
final class UpgradeFixture {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte MAGIC = 0;

  final JsonNode meta;
  final List<JsonNode> schemas = new ArrayList<>();
  final List<JsonNode> topics = new ArrayList<>();
  final List<JsonNode> records = new ArrayList<>();
  final List<JsonNode> groups = new ArrayList<>();
  final List<JsonNode> expectations = new ArrayList<>();

  /** What the restore did: old schema id to new, and how many records each partition got. */
  record Restored(Map<Integer, Integer> schemaIds, Map<TopicPartition, Long> recordCounts) {}

  private UpgradeFixture(JsonNode meta) {
    this.meta = meta;
  }

  static UpgradeFixture read(String resource) {
    try (InputStream in = UpgradeFixture.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no fixture " + resource);
      }
      var reader =
          new BufferedReader(
              new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
      UpgradeFixture fixture = null;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        JsonNode node = JSON.readTree(line);
        switch (node.get("type").asText()) {
          case "meta" -> fixture = new UpgradeFixture(node);
          case "schema" -> fixture.schemas.add(node);
          case "topic" -> fixture.topics.add(node);
          case "record" -> fixture.records.add(node);
          case "group" -> fixture.groups.add(node);
          case "expect" -> fixture.expectations.add(node);
          default -> throw new IllegalStateException("unknown line " + line);
        }
      }
      return fixture;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String secret(String name) {
    return meta.get("secrets").get(name).asText();
  }

  /** The latest old schema of each subject. */
  Map<String, Schema> oldSubjects() {
    Map<String, Schema> latest = new LinkedHashMap<>();
    for (JsonNode s : schemas) {
      latest.put(s.get("subject").asText(), new Schema.Parser().parse(s.get("schema").asText()));
    }
    return latest;
  }

  Restored restore(String bootstrapServers, String registryUrl) throws Exception {
    Map<Integer, Integer> ids = restoreSchemas(new SchemaRegistryClient(registryUrl));
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      List<NewTopic> newTopics = new ArrayList<>();
      for (JsonNode t : topics) {
        Map<String, String> configs = new HashMap<>();
        t.get("configs")
            .fields()
            .forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
        newTopics.add(
            new NewTopic(t.get("name").asText(), t.get("partitions").asInt(), (short) 1)
                .configs(configs));
      }
      admin.createTopics(newTopics).all().get();
      Map<TopicPartition, Long> counts = produce(bootstrapServers, ids);
      restoreGroups(admin);
      return new Restored(ids, counts);
    }
  }

  /**
   * Registers every old schema in the order of its old id, so each subject's versions come in their
   * order, then each subject's compatibility level.
   */
  private Map<Integer, Integer> restoreSchemas(SchemaRegistryClient registry) {
    Map<Integer, Integer> ids = new HashMap<>();
    Map<String, String> levels = new LinkedHashMap<>();
    for (JsonNode s : schemas) {
      String subject = s.get("subject").asText();
      if (!s.get("schema_type").asText().equals("AVRO")) {
        throw new IllegalStateException("not an Avro schema: " + subject);
      }
      int id = registry.register(subject, new Schema.Parser().parse(s.get("schema").asText()));
      Integer before = ids.put(s.get("id").asInt(), id);
      if (before != null && before != id) {
        throw new IllegalStateException("old id " + s.get("id") + " is two schemas now");
      }
      JsonNode level = s.path("compatibility");
      if (!level.isMissingNode()) {
        levels.put(
            subject, level.path("compatibilityLevel").asText(level.path("compatibility").asText()));
      }
    }
    levels.forEach(registry::setCompatibility);
    return ids;
  }

  private Map<TopicPartition, Long> produce(String bootstrapServers, Map<Integer, Integer> ids)
      throws InterruptedException, ExecutionException {
    Set<String> avroTopics = new TreeSet<>();
    for (JsonNode s : schemas) {
      String subject = s.get("subject").asText();
      if (subject.endsWith("-value")) {
        avroTopics.add(subject.substring(0, subject.length() - "-value".length()));
      }
    }
    long newest = 0;
    for (JsonNode r : records) {
      newest = Math.max(newest, r.get("timestamp").asLong());
    }
    long shift = Math.max(0, System.currentTimeMillis() - 60_000 - newest);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    Map<TopicPartition, Long> counts = new HashMap<>();
    try (var producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      var sends = new ArrayList<java.util.concurrent.Future<?>>();
      for (JsonNode r : records) {
        String topic = r.get("topic").asText();
        if (r.has("value_sha256")) {
          continue; // the shipped OFAC list: the new version publishes it (see the README)
        }
        var tp = new TopicPartition(topic, r.get("partition").asInt());
        byte[] value = bytes(r.get("value"));
        if (value != null && avroTopics.contains(topic)) {
          value = withNewSchemaId(value, ids, topic);
        }
        var record =
            new ProducerRecord<>(
                topic,
                tp.partition(),
                r.get("timestamp").asLong() + shift,
                bytes(r.get("key")),
                value);
        for (JsonNode h : r.get("headers")) {
          record.headers().add(new RecordHeader(h.get("key").asText(), bytes(h.get("value"))));
        }
        sends.add(producer.send(record));
        counts.merge(tp, 1L, Long::sum);
      }
      producer.flush();
      for (var send : sends) {
        send.get();
      }
    }
    return counts;
  }

  /**
   * The Confluent wire format: magic byte 0, then the schema id, big-endian, then the Avro body.
   */
  private static byte[] withNewSchemaId(byte[] value, Map<Integer, Integer> ids, String topic) {
    if (value.length < 5 || value[0] != MAGIC) {
      throw new IllegalStateException("a value on " + topic + " is not in the wire format");
    }
    ByteBuffer buffer = ByteBuffer.wrap(value.clone());
    Integer id = ids.get(buffer.getInt(1));
    if (id == null) {
      throw new IllegalStateException(
          "a value on " + topic + " names schema " + buffer.getInt(1) + ", not in the fixture");
    }
    buffer.putInt(1, id);
    return buffer.array();
  }

  /**
   * A committed offset is the next record to read; the old log's offsets had gaps (transaction
   * markers, records a Streams app purged from its repartition topics), the restored log has none:
   * the new offset is how many restored records came before the old one.
   */
  private void restoreGroups(Admin admin) throws InterruptedException, ExecutionException {
    Map<TopicPartition, List<Long>> oldOffsets = new HashMap<>();
    for (JsonNode r : records) {
      if (r.has("value_sha256")) {
        continue;
      }
      oldOffsets
          .computeIfAbsent(
              new TopicPartition(r.get("topic").asText(), r.get("partition").asInt()),
              k -> new ArrayList<>())
          .add(r.get("offset").asLong());
    }
    for (JsonNode g : groups) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (JsonNode o : g.get("offsets")) {
        var tp = new TopicPartition(o.get("topic").asText(), o.get("partition").asInt());
        if (tp.topic().equals("ofac.lists")) {
          throw new IllegalStateException(
              "a group committed on ofac.lists, left out of the fixture");
        }
        long committed = o.get("offset").asLong();
        long before =
            oldOffsets.getOrDefault(tp, List.of()).stream().filter(x -> x < committed).count();
        offsets.put(tp, new OffsetAndMetadata(before, o.path("metadata").asText("")));
      }
      admin.alterConsumerGroupOffsets(g.get("group").asText(), offsets).all().get();
    }
  }

  private static byte[] bytes(JsonNode base64) {
    return base64 == null || base64.isNull() ? null : Base64.getDecoder().decode(base64.asText());
  }
}
