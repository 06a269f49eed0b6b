package io.userpipe.ofac.list;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.OfacListFile;
import io.userpipe.schemas.OfacListRecord;
import io.userpipe.schemas.OfacListVersion;
import io.userpipe.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a list version to {@code ofac.lists}: parses it first (a malformed list is refused
 * whole and the version in force stays), then writes its files and, last, the {@code current}
 * pointer in one transaction, so readers see all of it or none.
 */
public final class ListPublisher {
  public static final String CURRENT = "current";
  private static final Logger log = LoggerFactory.getLogger(ListPublisher.class);

  private final AppConfig config;
  private final AvroSerdes serdes;
  private final Consumer<OfacList> parsed;

  public ListPublisher(AppConfig config, AvroSerdes serdes) {
    this(config, serdes, list -> {});
  }

  /**
   * A publisher that hands every list it has parsed, before publishing it, to {@code parsed}: a
   * follower in the same process then need not parse the same files again.
   */
  public ListPublisher(AppConfig config, AvroSerdes serdes, Consumer<OfacList> parsed) {
    this.config = config;
    this.serdes = serdes;
    this.parsed = parsed;
  }

  /** Validates and publishes; returns the version in force afterwards. */
  public OfacListVersion publish(ListFiles files, String label) throws MalformedListException {
    log.info("Parsing list '{}' ({} KB)", label, files.totalBytes() / 1024);
    OfacList list = OfacListParser.parse(files, label);
    log.info(
        "List '{}' is version {} with {} entries; publishing",
        label,
        list.version(),
        list.entries().size());
    parsed.accept(list);
    var props = ClientProps.durableWriter(config, "ofac-list-publisher");
    props.put(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        config.appIdPrefix() + "ofac-list-publisher-" + UUID.randomUUID());
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    var valueSerde = serdes.valueSerde(Topics.OFAC_LISTS);
    List<String> names = new ArrayList<>();
    try (var producer =
        new KafkaProducer<>(props, new StringSerializer(), valueSerde.serializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (String name : ListFiles.NAMES) {
        byte[] bytes = files.file(name);
        if (bytes == null) {
          continue;
        }
        names.add(name);
        var file = new OfacListFile(list.version(), name, ByteBuffer.wrap(gzip(bytes)));
        producer.send(
            new ProducerRecord<>(
                Topics.OFAC_LISTS.name(), list.version() + "/" + name, new OfacListRecord(file)));
        log.info("  {} ({} KB)", name, bytes.length / 1024);
      }
      var version =
          new OfacListVersion(list.version(), label, names, list.entries().size(), Instant.now());
      producer.send(
          new ProducerRecord<>(Topics.OFAC_LISTS.name(), CURRENT, new OfacListRecord(version)));
      producer.commitTransaction();
      log.info("List version {} ('{}') is now in force", list.version(), label);
      return version;
    }
  }

  static byte[] gzip(byte[] bytes) {
    var out = new ByteArrayOutputStream(bytes.length / 4);
    try (var gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
