package io.userpipe.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.schemas.Topics;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The names of platforms' own topics: one prefix per platform, holding no other platform's. */
class PlatformTopicsTest {

  @Test
  void eachPlatformHasThreeTopicsUnderItsPrefix() {
    assertEquals(
        List.of(
            "platform.acme.users.commands",
            "platform.acme.ofac.commands",
            "platform.acme.command-results"),
        Topics.forPlatform("acme").stream().map(t -> t.name()).toList());
    for (var topic : Topics.forPlatform("acme")) {
      assertEquals(Topics.USER_PARTITIONS, topic.partitions(), topic.name());
    }
  }

  @Test
  void noPlatformsPrefixStartsAnotherPlatformsTopics() {
    var ids = List.of("a", "a.b", "a_b", "a@b", "a-b", "ab", "a.users", "A", "a_2eb");
    for (String one : ids) {
      for (String other : ids) {
        if (one.equals(other)) {
          continue;
        }
        for (var topic : Topics.forPlatform(other)) {
          assertFalse(
              topic.name().startsWith(Topics.platformTopicPrefix(one)),
              one + "'s prefix starts " + topic.name());
        }
      }
    }
  }

  @Test
  void theTopicNamesItsPlatform() {
    for (String id : List.of("demo", "acme.eu", "pay_co", "ops@acme", "x-1")) {
      assertEquals(Optional.of(id), Topics.platformOfTopic(Topics.platformUserCommands(id).name()));
      assertEquals(Optional.of(id), Topics.platformOfTopic(Topics.platformOfacCommands(id).name()));
      assertTrue(
          Topics.PLATFORM_USER_COMMANDS_PATTERN
              .matcher(Topics.platformUserCommands(id).name())
              .matches());
      assertTrue(
          Topics.PLATFORM_OFAC_COMMANDS_PATTERN
              .matcher(Topics.platformOfacCommands(id).name())
              .matches());
    }
    assertEquals(Optional.empty(), Topics.platformOfTopic("users.commands"));
    assertEquals(Optional.empty(), Topics.platformOfTopic("platform.a_zz.users.commands"));
    assertEquals(Optional.empty(), Topics.platformOfTopic("platform.a_2.users.commands"));
    assertFalse(
        Topics.PLATFORM_USER_COMMANDS_PATTERN.matcher("platform.a.users.commands.dlq").matches());
  }
}
