package io.userpipe.projections.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

class RecordCommandStatusTest {

  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

  @Test
  void aCommandsStatusIsKeptForSevenDaysThenExpires() {
    var serdes = new AvroSerdes(SharedRegistry.url());
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "projections-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, SharedKafka.tempDir("ttd").toString());
    try (var driver = new TopologyTestDriver(ProjectionsTopology.build(serdes), props, T0)) {
      var results =
          driver.createInputTopic(
              Topics.COMMAND_RESULTS.name(),
              serdes.keySerde(Topics.COMMAND_RESULTS).serializer(),
              serdes.valueSerde(Topics.COMMAND_RESULTS).serializer());
      var result =
          CommandResult.newBuilder()
              .setCommandId("c1")
              .setPlatformId("p1")
              .setCommandType("CreateUser")
              .setOutcome(CommandOutcome.ACCEPTED)
              .setDecidedAt(T0)
              .build();
      results.pipeInput("c1", result);
      var store =
          driver.<String, CommandResult>getKeyValueStore(ProjectionsTopology.COMMAND_STATUS);
      assertEquals(result, store.get("c1"));

      driver.advanceWallClockTime(Duration.ofDays(6));
      assertNotNull(store.get("c1"));
      driver.advanceWallClockTime(Duration.ofDays(1).plusMinutes(2));
      assertNull(store.get("c1"));
    }
  }
}
