package io.userpipe.ofac.list;

import static io.userpipe.runtime.testing.TestRecords.bytesProducer;
import static io.userpipe.runtime.testing.TestRecords.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.DeadLetters;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TopicReader;
import io.userpipe.schemas.OfacListVersion;
import io.userpipe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The follower on a real broker and registry: a record it cannot read does not stop it. */
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
}
