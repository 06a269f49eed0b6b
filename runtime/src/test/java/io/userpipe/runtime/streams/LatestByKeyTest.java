package io.userpipe.runtime.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.schemas.TopicSpec;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * A latest-by-key store is a copy of its topic: it keeps the last value of each key, forgets a key
 * on a tombstone, writes no changelog, and comes back from the topic itself when the local state is
 * lost.
 */
class LatestByKeyTest {

  private static final String STORE = "latest";

  private static TopicSpec<String, String> topic(
      String name, TopicSpec.Cleanup cleanup, Duration retention) {
    return new TopicSpec<>(
        name, String.class, String.class, 2, cleanup, retention, "test", "test", "test topic");
  }

  @Test
  void keepsTheLatestValueOfEachKeyAndIsRestoredFromTheTopicWithoutAChangelog() throws Exception {
    var spec = topic(SharedKafka.uniqueTopicPrefix() + "keys", TopicSpec.Cleanup.COMPACT, null);
    SharedKafka.createTopics(spec);
    AppConfig config = SharedKafka.config();
    try (var producer =
        new KafkaProducer<>(
            SharedKafka.clientProps(), new StringSerializer(), new StringSerializer())) {
      // both keys in partition 0, each partition ending with a marker: once the store holds both
      // markers, every record before them has been applied
      producer.send(new ProducerRecord<>(spec.name(), 0, "kept", "first"));
      producer.send(new ProducerRecord<>(spec.name(), 0, "gone", "soon deleted"));
      producer.send(new ProducerRecord<>(spec.name(), 0, "kept", "second"));
      producer.send(new ProducerRecord<>(spec.name(), 0, "gone", null));
      producer.send(new ProducerRecord<>(spec.name(), 0, "end-0", "marker"));
      producer.send(new ProducerRecord<>(spec.name(), 1, "end-1", "marker"));
      producer.flush();
    }

    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      try (var service = start(config, spec)) {
        var store = store(service);
        awaitValue(store, "end-0", "marker");
        awaitValue(store, "end-1", "marker");
        assertEquals("second", store.get("kept"));
        assertNull(store.get("gone"), "a tombstone removes the key");
        // every record is behind the committed offsets: the next start cannot process them again,
        // so whatever its store holds then was restored
        awaitCommitted(admin, config.appIdPrefix() + "latest-test", 6);
      }
      assertFalse(
          admin.listTopics().names().get().stream()
              .anyMatch(t -> t.contains("changelog") && t.startsWith(config.appIdPrefix())),
          "the store wrote a changelog of its own");
    }

    // the same application on a machine without its state: the store comes back from the topic
    AppConfig elsewhere = config.with(AppConfig.STATE_DIR, SharedKafka.tempDir("state").toString());
    try (var service = start(elsewhere, spec)) {
      var store = store(service);
      awaitValue(store, "end-0", "marker");
      awaitValue(store, "end-1", "marker");
      assertEquals("second", store.get("kept"));
      assertNull(store.get("gone"));
    }
  }

  @Test
  void refusesATopicThatForgetsOldRecords() {
    var spec = topic("forgetful", TopicSpec.Cleanup.DELETE, Duration.ofDays(7));
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LatestByKey.addTo(
                    new Topology(), new AvroSerdes(SharedRegistry.url()), spec, STORE));
    assertTrue(error.getMessage().contains("forgetful"), error.getMessage());
  }

  private static StreamsService start(AppConfig config, TopicSpec<String, String> spec) {
    var topology = new Topology();
    LatestByKey.addTo(topology, new AvroSerdes(SharedRegistry.url()), spec, STORE);
    var service = StreamsService.create("latest-test", topology, config, Map.of());
    service.start(Duration.ofSeconds(60));
    return service;
  }

  private static ReadOnlyKeyValueStore<String, String> store(StreamsService service) {
    return service
        .streams()
        .store(StoreQueryParameters.fromNameAndType(STORE, QueryableStoreTypes.keyValueStore()));
  }

  private static void awaitCommitted(Admin admin, String groupId, long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long committed = committed(admin, groupId);
    while (committed != expected && System.nanoTime() < deadline) {
      Thread.sleep(100);
      committed = committed(admin, groupId);
    }
    assertEquals(expected, committed, "offsets committed by the first run");
  }

  private static long committed(Admin admin, String groupId) throws Exception {
    return admin
        .listConsumerGroupOffsets(groupId)
        .partitionsToOffsetAndMetadata()
        .get()
        .values()
        .stream()
        .mapToLong(o -> o.offset())
        .sum();
  }

  private static void awaitValue(
      ReadOnlyKeyValueStore<String, String> store, String key, String expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!expected.equals(store.get(key)) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(expected, store.get(key));
  }
}
