package io.userpipe.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.schemas.TopicSpec;
import io.userpipe.schemas.Topics;
import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * The ACLs agree with the topic catalogue: a service writes exactly the topics the catalogue names
 * it the writer of, reads only topics that name it a reader; a platform gets its own topics and no
 * other.
 */
class KafkaAclsTest {

  private static List<TopicSpec<?, ?>> catalogue() {
    return Topics.all().stream().filter(t -> !t.name().endsWith(".dlq")).toList();
  }

  @Test
  void eachServiceWritesExactlyTheTopicsTheCatalogueSaysItWrites() {
    for (String service : KafkaAcls.services()) {
      for (var topic : catalogue()) {
        assertEquals(
            topic.writer().contains(service),
            KafkaAcls.writes(service).contains(topic),
            service + " and " + topic.name() + " (writer: " + topic.writer() + ")");
      }
    }
  }

  @Test
  void eachServiceReadsOnlyTopicsTheCatalogueSaysItReads() {
    for (String service : KafkaAcls.services()) {
      for (var topic : KafkaAcls.reads(service)) {
        assertTrue(
            topic.readers().contains(service),
            service + " reads " + topic.name() + " (readers: " + topic.readers() + ")");
      }
    }
  }

  @Test
  void aServiceMayWriteNoTopicItDoesNotOwn() {
    for (String service : KafkaAcls.services()) {
      for (AclBinding acl : KafkaAcls.forService(service, "userpipe-")) {
        var pattern = acl.pattern();
        if (pattern.resourceType() != ResourceType.TOPIC
            || acl.entry().operation() != AclOperation.WRITE
            || pattern.patternType() != PatternType.LITERAL) {
          continue;
        }
        String name = pattern.name();
        boolean owned =
            KafkaAcls.writes(service).stream().anyMatch(t -> t.name().equals(name))
                || KafkaAcls.reads(service).stream()
                    .anyMatch(t -> Topics.deadLetterName(t.name()).equals(name));
        assertTrue(owned, service + " may write " + name);
      }
    }
    // the operators' topics are written by no service
    for (var topic : List.of(Topics.OPERATORS, Topics.PLATFORMS, Topics.VIEWS_REPLAY_MARKS)) {
      for (String service : KafkaAcls.services()) {
        assertFalse(KafkaAcls.writes(service).contains(topic), service + " " + topic.name());
      }
    }
  }

  @Test
  void aPlatformGetsItsOwnTopicsAndNothingElse() {
    var acls = KafkaAcls.forPlatform("acme.eu");
    for (AclBinding acl : acls) {
      assertEquals("User:platform-acme.eu", acl.entry().principal());
      var pattern = acl.pattern();
      if (pattern.resourceType() == ResourceType.CLUSTER) {
        assertEquals(AclOperation.IDEMPOTENT_WRITE, acl.entry().operation());
        continue;
      }
      assertTrue(
          pattern.name().startsWith(Topics.platformTopicPrefix("acme.eu")), pattern.toString());
      if (acl.entry().operation() == AclOperation.WRITE) {
        assertFalse(pattern.name().endsWith(".command-results"), "writes its own results");
      }
    }
    assertTrue(
        acls.stream()
            .anyMatch(
                a ->
                    a.pattern().name().equals(Topics.platformUserCommands("acme.eu").name())
                        && a.entry().operation() == AclOperation.WRITE));
  }
}
