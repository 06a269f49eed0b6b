package io.userpipe.ofac.list;

import static io.userpipe.runtime.testing.TestRecords.bytesProducer;
import static io.userpipe.runtime.testing.TestRecords.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.DeadLetters;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.SwitchableProxy;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.OfacListVersion;
import io.userpipe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The follower on a real broker and registry: a record it cannot read does not stop it, and a
 * registry outage delays the probe for a current version instead of failing it.
 */
class ListFollowerTest {

  @Test
  void aPoisonRecordIsDeadLetteredAndTheNextVersionComesIntoForce() throws Exception {
    AppConfig config =
        SharedKafka.config().with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url());
    TopicCreator.ensure(config, List.of(Topics.OFAC_LISTS, Topics.OFAC_LISTS_DLQ));
    var serdes = AvroSerdes.from(config);
    byte[] poison = {0, 0x7c, 0x01, 0x02, 0x03, 5, 5, 5}; // a schema id the registry never gave
    long poisonOffset;
    try (var producer = bytesProducer()) {
      poisonOffset =
          producer
              .send(
                  new ProducerRecord<>(
                      Topics.OFAC_LISTS.name(), "poison".getBytes(StandardCharsets.UTF_8), poison))
              .get()
              .offset();
    }
    try (var follower = new ListFollower(config, serdes)) {
      follower.start();
      OfacListVersion published =
          new ListPublisher(config, serdes).publish(ListFiles.shipped(), "after the poison");
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while ((follower.get() == null || !follower.get().version().equals(published.getVersion()))
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertNotNull(follower.get(), "no list version came into force");
      assertEquals(published.getVersion(), follower.get().version());
      assertEquals("UP", follower.health());
    }
    var letter =
        TopicReader.readAll(SharedKafka.bootstrapServers(), Topics.OFAC_LISTS_DLQ.name()).stream()
            .filter(r -> Long.toString(poisonOffset).equals(header(r, DeadLetters.SOURCE_OFFSET)))
            .findFirst()
            .orElseThrow();
    assertArrayEquals(poison, letter.value());
    assertEquals(Topics.OFAC_LISTS.name(), header(letter, DeadLetters.SOURCE_TOPIC));
    assertTrue(header(letter, DeadLetters.ERROR_MESSAGE).contains("cannot resolve schema id"));
  }

  /**
   * ofac-screener asks the probe, when it starts, whether to publish the shipped list; during a
   * registry outage the probe used to throw and the start failed (the chaos run found it).
   */
  @Test
  void theProbeForACurrentVersionWaitsOutARegistryOutage() throws Exception {
    AppConfig direct =
        SharedKafka.config().with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url());
    TopicCreator.ensure(direct, List.of(Topics.OFAC_LISTS, Topics.OFAC_LISTS_DLQ));
    new ListPublisher(direct, AvroSerdes.from(direct))
        .publish(ListFiles.shipped(), "before the outage");
    try (var registry = new SwitchableProxy(SharedRegistry.url())) {
      AppConfig viaProxy = direct.with(AppConfig.SCHEMA_REGISTRY_URL, registry.url());
      registry.down();
      var probe =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  // fresh serdes: nothing cached, so every schema is asked of the registry
                  return ListFollower.hasCurrentVersion(
                      viaProxy, AvroSerdes.from(viaProxy), Duration.ofSeconds(180));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException(e);
                }
              });
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (registry.refused() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(registry.refused() > 0, "the probe met the outage");
      Thread.sleep(3_000);
      assertFalse(probe.isDone(), "the probe waits while the registry is down");
      registry.up();
      assertTrue(probe.get(180, TimeUnit.SECONDS), "a current version found once it is back");
    }
  }
}
