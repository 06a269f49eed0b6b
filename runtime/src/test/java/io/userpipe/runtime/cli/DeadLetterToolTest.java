package io.userpipe.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.TestRecords;
import io.userpipe.runtime.testing.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** bin/dlq against a real broker: list, show (reasons, never bytes), replay (resumable). */
class DeadLetterToolTest {

  private final AppConfig config = SharedKafka.config();
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final DeadLetterTool tool =
      new DeadLetterTool(config, new PrintStream(printed, true, StandardCharsets.UTF_8));

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void listsShowsAndReplaysDeadLettersToTheirSourceOnce() throws Exception {
    String source = SharedKafka.uniqueTopicPrefix() + "orders";
    String dlq = source + ".dlq";
    SharedKafka.createTopics(source, dlq);
    try (var producer = TestRecords.bytesProducer()) {
      for (int i = 0; i < 3; i++) {
        var headers = new RecordHeaders();
        headers.add("x-dlq-source-topic", utf8(source));
        headers.add("x-dlq-source-partition", utf8("0"));
        headers.add("x-dlq-source-offset", utf8(Integer.toString(i)));
        headers.add("x-dlq-service", utf8("test-service"));
        headers.add(
            "x-dlq-error-class", utf8("org.apache.kafka.common.errors.SerializationException"));
        headers.add("x-dlq-error-message", utf8("schema registry unreachable #" + i));
        producer.send(
            new ProducerRecord<>(dlq, null, utf8("key-" + i), utf8("secret-bytes-" + i), headers));
      }
      producer.flush();
    }

    assertEquals(3L, tool.list().get(dlq));

    assertEquals(3, tool.show(dlq, 10));
    String shown = printed.toString(StandardCharsets.UTF_8);
    assertTrue(shown.contains("schema registry unreachable #1"), shown);
    assertTrue(shown.contains("from " + source + "-0@2 by test-service"), shown);
    assertFalse(shown.contains("secret-bytes"), "the bytes are never printed");

    assertEquals(2, tool.replay(dlq, 2));
    assertEquals(1, tool.replay(dlq, 10), "a second run goes on where the first stopped");
    assertEquals(0, tool.replay(dlq, 10));
    var back =
        TopicReader.readUntil(
            SharedKafka.bootstrapServers(), source, rs -> rs.size() >= 3, Duration.ofSeconds(30));
    assertEquals(3, back.size());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(utf8("key-" + i), back.get(i).key());
      assertArrayEquals(utf8("secret-bytes-" + i), back.get(i).value(), "bytes untouched");
      assertTrue(back.get(i).headers().lastHeader("x-dlq-replayed-from") != null);
    }
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains("1 replayed, 0 skipped"));
  }
}
