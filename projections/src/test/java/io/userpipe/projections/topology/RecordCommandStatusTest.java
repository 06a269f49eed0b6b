package io.userpipe.projections.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.streams.DayWindows;
import io.userpipe.runtime.testing.SharedRegistry;
import io.userpipe.runtime.testing.TestDriverProps;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordCommandStatusTest {

  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

  private TopologyTestDriver driver;
  private TestInputTopic<String, CommandResult> results;
  private WindowStore<String, CommandResult> store;

  @BeforeEach
  void start() {
    var serdes = new AvroSerdes(SharedRegistry.url());
    var props = TestDriverProps.of("projections-test");
    driver = new TopologyTestDriver(ProjectionsTopology.build(serdes), props, T0);
    results =
        driver.createInputTopic(
            Topics.COMMAND_RESULTS.name(),
            serdes.keySerde(Topics.COMMAND_RESULTS).serializer(),
            serdes.valueSerde(Topics.COMMAND_RESULTS).serializer());
    store = driver.getWindowStore(ProjectionsTopology.COMMAND_STATUSES);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void aCommandsStatusIsAnsweredForSevenDaysThenNoMore() {
    var result = result("c1", CommandOutcome.ACCEPTED, T0);
    decided(result);

    assertEquals(Optional.of(result), CommandStatuses.first(store, "c1", T0));
    assertEquals(
        Optional.of(result), CommandStatuses.first(store, "c1", T0.plus(Duration.ofDays(7))));
    assertEquals(Optional.empty(), CommandStatuses.first(store, "c1", T0.plus(Duration.ofDays(8))));
  }

  @Test
  void anExpiredDayIsDroppedFromTheStoreWhenLaterResultsMoveTimeOn() {
    decided(result("c1", CommandOutcome.ACCEPTED, T0));
    long day = DayWindows.dayOf(T0);

    decided(result("c2", CommandOutcome.ACCEPTED, T0.plus(Duration.ofDays(7))));
    assertEquals("c1", store.fetch("c1", day).getCommandId());

    decided(result("c3", CommandOutcome.ACCEPTED, T0.plus(Duration.ofDays(14))));
    assertNull(store.fetch("c1", day));
  }

  @Test
  void theFirstResultOfACommandStaysItsStatusWhenTheCommandIsDecidedAgain() {
    var first = result("c1", CommandOutcome.ACCEPTED, T0);
    decided(first);
    decided(result("c1", CommandOutcome.REJECTED, T0.plus(Duration.ofHours(1))));
    decided(result("c1", CommandOutcome.REJECTED, T0.plus(Duration.ofDays(2))));

    assertEquals(
        Optional.of(first), CommandStatuses.first(store, "c1", T0.plus(Duration.ofDays(3))));
  }

  @Test
  void aResultFiledTomorrowByAClockThatRunsAheadIsFound() {
    Instant justBeforeMidnight = Instant.parse("2026-11-24T23:59:30Z");
    var ahead = result("c1", CommandOutcome.ACCEPTED, justBeforeMidnight.plusSeconds(60));
    decided(ahead);

    assertTrue(CommandStatuses.first(store, "c1", justBeforeMidnight).isPresent());
  }

  private void decided(CommandResult result) {
    results.pipeInput(result.getCommandId(), result, result.getDecidedAt());
  }

  private static CommandResult result(String commandId, CommandOutcome outcome, Instant decidedAt) {
    return CommandResult.newBuilder()
        .setCommandId(commandId)
        .setPlatformId("p1")
        .setCommandType("CreateUser")
        .setOutcome(outcome)
        .setDecidedAt(decidedAt)
        .build();
  }
}
