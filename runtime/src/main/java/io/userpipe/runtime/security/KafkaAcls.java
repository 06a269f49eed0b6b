package io.userpipe.runtime.security;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;

import io.userpipe.schemas.TopicSpec;
import io.userpipe.schemas.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The cluster's ACLs, derived from the topic catalogue ({@link Topics}): one principal per service,
 * one per platform, one for operators. Kafka denies what no ACL allows ({@code
 * allow.everyone.if.no.acl.found=false}), so these are all allow rules:
 *
 * <ul>
 *   <li>a service may write only the topics it owns (the catalogue's writer), read only what it
 *       reads, and dead-letter what it reads; a Kafka Streams service also owns its internal
 *       topics, group and transactional ids, under its application id;
 *   <li>a platform may write only its own command topics and read only its own results topic
 *       ({@link Topics#forPlatform}): no shared topic, no internal topic, no operator topic;
 *   <li>operators administer the cluster: they create topics and ACLs and run the tools ({@code
 *       bin/platforms}, {@code bin/operators}, {@code bin/dlq}, ...). Review decisions reach {@code
 *       ofac.reviews} through the operator console, which runs in projections.
 * </ul>
 *
 * <p>{@code bin/acls} prints them as {@code kafka-acls} commands, or applies them ({@link
 * io.userpipe.runtime.cli.AclsTool}); {@code KafkaLeastPrivilegeTest} runs every service with only
 * its own.
 */
public final class KafkaAcls {

  public static final String USER_COMMAND_SERVICE = "user-command-service";
  public static final String OFAC_SCREENER = "ofac-screener";
  public static final String TIN_VERIFIER = "tin-verifier";
  public static final String PROJECTIONS = "projections";
  public static final String WEBHOOKS = "webhooks";
  public static final String OPERATORS = "operators";

  /** A service's access, by the catalogue's topics. */
  private record Access(
      List<TopicSpec<?, ?>> reads,
      List<TopicSpec<?, ?>> writes,
      List<String> groups,
      List<String> transactionalIdPrefixes,
      boolean platformsCommandTopics) {}

  private static final Map<String, Access> SERVICES = new LinkedHashMap<>();

  static {
    SERVICES.put(
        USER_COMMAND_SERVICE,
        new Access(
            List.of(
                Topics.USER_COMMANDS,
                Topics.USER_COMMANDS_BY_USER,
                Topics.PHONE_RELEASES,
                Topics.OFAC_SCREENINGS,
                Topics.SMS),
            List.of(
                Topics.USER_COMMANDS,
                Topics.USER_COMMANDS_BY_USER,
                Topics.USER_EVENTS,
                Topics.COMMAND_RESULTS,
                Topics.USER_KEYS,
                Topics.PHONE_RELEASES,
                Topics.SMS,
                Topics.SMS_DELIVERIES),
            List.of("sms-relay"),
            List.of(),
            true));
    SERVICES.put(
        OFAC_SCREENER,
        new Access(
            List.of(
                Topics.USER_EVENTS,
                Topics.USER_KEYS,
                Topics.OFAC_COMMANDS,
                Topics.OFAC_REVIEWS,
                Topics.OFAC_LISTS,
                Topics.PLATFORMS,
                Topics.OPERATORS,
                Topics.RETENTION_KEYS),
            List.of(
                Topics.OFAC_SCREENINGS,
                Topics.COMMAND_RESULTS,
                Topics.OFAC_LISTS,
                Topics.RETENTION_KEYS),
            List.of(),
            List.of("ofac-list-publisher-"),
            true));
    SERVICES.put(
        TIN_VERIFIER,
        new Access(
            List.of(
                Topics.USER_EVENTS,
                Topics.USER_KEYS,
                Topics.TIN_REQUESTS,
                Topics.TIN_RESPONSES,
                Topics.RETENTION_KEYS),
            List.of(
                Topics.TIN_VERIFICATIONS,
                Topics.TIN_REQUESTS,
                Topics.TIN_RESPONSES,
                Topics.RETENTION_KEYS),
            List.of("tin-worker"),
            List.of(),
            false));
    SERVICES.put(
        PROJECTIONS,
        new Access(
            List.of(
                Topics.USER_EVENTS,
                Topics.USER_KEYS,
                Topics.COMMAND_RESULTS,
                Topics.TIN_VERIFICATIONS,
                Topics.OFAC_SCREENINGS,
                Topics.SMS_DELIVERIES,
                Topics.COMPLIANCE_EVENTS,
                Topics.VIEWS_REPLAY_MARKS,
                Topics.PLATFORMS,
                Topics.OPERATORS),
            List.of(
                Topics.COMPLIANCE_EVENTS,
                Topics.USER_COMMANDS,
                Topics.OFAC_COMMANDS,
                Topics.OFAC_REVIEWS),
            List.of(),
            List.of(),
            false));
    SERVICES.put(
        WEBHOOKS,
        new Access(
            List.of(
                Topics.COMPLIANCE_EVENTS,
                Topics.WEBHOOK_ATTEMPTS,
                Topics.WEBHOOK_ENDPOINTS,
                Topics.PLATFORMS),
            List.of(Topics.WEBHOOK_ENDPOINTS, Topics.WEBHOOK_ATTEMPTS),
            List.of(),
            List.of(),
            false));
  }

  private KafkaAcls() {}

  /** The services, in the order {@code bin/acls} prints them. */
  public static List<String> services() {
    return List.copyOf(SERVICES.keySet());
  }

  /** A service's principal: the service's name (its SASL user or certificate name). */
  public static String servicePrincipal(String service) {
    return "User:" + service;
  }

  /** A platform's principal: {@code platform-<id>}. */
  public static String platformPrincipal(String platformId) {
    return "User:platform-" + platformId;
  }

  public static String operatorsPrincipal() {
    return "User:" + OPERATORS;
  }

  /** The topics a service writes, by the table above (a test checks them against the catalogue). */
  public static List<TopicSpec<?, ?>> writes(String service) {
    return access(service).writes();
  }

  /** The topics a service reads. */
  public static List<TopicSpec<?, ?>> reads(String service) {
    return access(service).reads();
  }

  /** Whether a service reads every platform's command topics (and answers on their results). */
  public static boolean readsPlatformsCommands(String service) {
    return access(service).platformsCommandTopics();
  }

  private static Access access(String service) {
    Access access = SERVICES.get(service);
    if (access == null) {
      throw new IllegalArgumentException("no service " + service + "; one of " + services());
    }
    return access;
  }

  /**
   * A service's ACLs under {@code appIdPrefix} (the {@code APP_ID_PREFIX} its application id,
   * groups and transactional ids start with).
   */
  public static List<AclBinding> forService(String service, String appIdPrefix) {
    Access access = access(service);
    String principal = servicePrincipal(service);
    var acls = new ArrayList<AclBinding>();
    for (var topic : access.reads()) {
      acls.add(allow(principal, ResourceType.TOPIC, topic.name(), LITERAL, READ));
      acls.add(allow(principal, ResourceType.TOPIC, topic.name(), LITERAL, DESCRIBE));
    }
    for (var topic : access.writes()) {
      acls.add(allow(principal, ResourceType.TOPIC, topic.name(), LITERAL, WRITE));
      if (!access.reads().contains(topic)) {
        acls.add(allow(principal, ResourceType.TOPIC, topic.name(), LITERAL, DESCRIBE));
      }
    }
    for (String dlq :
        access.reads().stream()
            .map(t -> Topics.deadLetterName(t.name()))
            .collect(Collectors.toCollection(java.util.TreeSet::new))) {
      acls.add(allow(principal, ResourceType.TOPIC, dlq, LITERAL, WRITE));
      acls.add(allow(principal, ResourceType.TOPIC, dlq, LITERAL, DESCRIBE));
    }
    if (access.platformsCommandTopics()) {
      // every platform's command topics (a pattern subscription) and results topics
      String prefix = Topics.PLATFORM_TOPICS_PREFIX;
      acls.add(allow(principal, ResourceType.TOPIC, prefix, PREFIXED, READ));
      acls.add(allow(principal, ResourceType.TOPIC, prefix, PREFIXED, DESCRIBE));
      acls.add(allow(principal, ResourceType.TOPIC, prefix, PREFIXED, WRITE));
    }
    // Kafka Streams: its internal topics, its group, its exactly-once producers' ids
    String applicationId = appIdPrefix + service;
    acls.add(allow(principal, ResourceType.TOPIC, applicationId + "-", PREFIXED, ALL));
    acls.add(allow(principal, ResourceType.GROUP, applicationId, LITERAL, READ));
    acls.add(allow(principal, ResourceType.GROUP, applicationId, LITERAL, DESCRIBE));
    acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, applicationId + "-", PREFIXED, WRITE));
    acls.add(
        allow(principal, ResourceType.TRANSACTIONAL_ID, applicationId + "-", PREFIXED, DESCRIBE));
    for (String group : access.groups()) {
      acls.add(allow(principal, ResourceType.GROUP, appIdPrefix + group, LITERAL, READ));
      acls.add(allow(principal, ResourceType.GROUP, appIdPrefix + group, LITERAL, DESCRIBE));
    }
    for (String id : access.transactionalIdPrefixes()) {
      acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, appIdPrefix + id, PREFIXED, WRITE));
      acls.add(
          allow(principal, ResourceType.TRANSACTIONAL_ID, appIdPrefix + id, PREFIXED, DESCRIBE));
    }
    acls.add(allow(principal, ResourceType.CLUSTER, "kafka-cluster", LITERAL, IDEMPOTENT_WRITE));
    return acls;
  }

  /**
   * A platform's ACLs: write its own command topics, read its own results (with a consumer group of
   * its own, if it uses one), and nothing else.
   */
  public static List<AclBinding> forPlatform(String platformId) {
    String principal = platformPrincipal(platformId);
    var acls = new ArrayList<AclBinding>();
    for (var topic :
        List.of(Topics.platformUserCommands(platformId), Topics.platformOfacCommands(platformId))) {
      acls.add(allow(principal, ResourceType.TOPIC, topic.name(), LITERAL, WRITE));
      acls.add(allow(principal, ResourceType.TOPIC, topic.name(), LITERAL, DESCRIBE));
    }
    String results = Topics.platformCommandResults(platformId).name();
    acls.add(allow(principal, ResourceType.TOPIC, results, LITERAL, READ));
    acls.add(allow(principal, ResourceType.TOPIC, results, LITERAL, DESCRIBE));
    String groups = Topics.platformTopicPrefix(platformId);
    acls.add(allow(principal, ResourceType.GROUP, groups, PREFIXED, READ));
    acls.add(allow(principal, ResourceType.CLUSTER, "kafka-cluster", LITERAL, IDEMPOTENT_WRITE));
    return acls;
  }

  /**
   * The operators' ACLs: they administer the cluster (topics, ACLs, every tool), so everything on
   * topics, groups and transactional ids, and creating topics and changing ACLs on the cluster.
   */
  public static List<AclBinding> forOperators() {
    String principal = operatorsPrincipal();
    return List.of(
        allow(principal, ResourceType.TOPIC, "*", LITERAL, ALL),
        allow(principal, ResourceType.GROUP, "*", LITERAL, ALL),
        allow(principal, ResourceType.TRANSACTIONAL_ID, "*", LITERAL, ALL),
        allow(principal, ResourceType.CLUSTER, "kafka-cluster", LITERAL, CREATE),
        allow(principal, ResourceType.CLUSTER, "kafka-cluster", LITERAL, DESCRIBE),
        allow(principal, ResourceType.CLUSTER, "kafka-cluster", LITERAL, ALTER),
        allow(principal, ResourceType.CLUSTER, "kafka-cluster", LITERAL, DESCRIBE_CONFIGS),
        allow(principal, ResourceType.CLUSTER, "kafka-cluster", LITERAL, IDEMPOTENT_WRITE));
  }

  /** Every ACL of a cluster: the services', the platforms' and the operators'. */
  public static List<AclBinding> all(String appIdPrefix, Collection<String> platformIds) {
    var acls = new ArrayList<AclBinding>();
    for (String service : services()) {
      acls.addAll(forService(service, appIdPrefix));
    }
    for (String platform : platformIds) {
      acls.addAll(forPlatform(platform));
    }
    acls.addAll(forOperators());
    return acls;
  }

  /** The {@code kafka-acls} command that adds one ACL. */
  public static String command(AclBinding acl) {
    var pattern = acl.pattern();
    String resource =
        switch (pattern.resourceType()) {
          case TOPIC -> "--topic '" + pattern.name() + "'";
          case GROUP -> "--group '" + pattern.name() + "'";
          case TRANSACTIONAL_ID -> "--transactional-id '" + pattern.name() + "'";
          case CLUSTER -> "--cluster";
          default -> throw new IllegalStateException("unexpected " + pattern.resourceType());
        };
    String patternType =
        pattern.patternType() == PREFIXED ? " --resource-pattern-type prefixed" : "";
    return "kafka-acls.sh --bootstrap-server \"$KAFKA_BOOTSTRAP_SERVERS\" --command-config"
        + " \"$ADMIN_CONFIG\" --add --allow-principal '"
        + acl.entry().principal()
        + "' --operation "
        + operationName(acl.entry().operation())
        + " "
        + resource
        + patternType;
  }

  private static String operationName(AclOperation operation) {
    var words = operation.name().toLowerCase(java.util.Locale.ROOT).split("_");
    var out = new StringBuilder();
    for (String w : words) {
      out.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
    }
    return out.toString();
  }

  private static AclBinding allow(
      String principal,
      ResourceType type,
      String name,
      PatternType patternType,
      AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(type, name, patternType),
        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
  }
}
