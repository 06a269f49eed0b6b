package io.userpipe.runtime.cli;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.CompactedTopics;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.platforms.PlatformCredentials;
import io.userpipe.runtime.security.KafkaAcls;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.TopicSpec;
import io.userpipe.schemas.Topics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;

/**
 * {@code bin/acls}: the cluster's ACLs from the topic catalogue ({@link KafkaAcls}), one principal
 * per service, per platform and for operators; printed as {@code kafka-acls} commands, or applied
 * with the operators' login together with the topics they need.
 */
public final class AclsTool {

  private final AppConfig config;
  private final PrintStream out;

  public AclsTool(AppConfig config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    io.userpipe.runtime.serde.AvroLimits.apply();
    System.exit(new AclsTool(AppConfig.fromEnv(), System.out).run(args));
  }

  public int run(String[] args) throws Exception {
    boolean apply = false;
    List<String> platforms = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--apply")) {
        apply = true;
      } else if (arg.startsWith("-")) {
        out.println(
            "usage: bin/acls [--apply] [PLATFORM_ID ...]  (no ids: every platform the platforms"
                + " topic holds that is not retired)");
        return 2;
      } else {
        platforms.add(arg);
      }
    }
    if (platforms.isEmpty()) {
      platforms = knownPlatforms();
    }
    var acls = KafkaAcls.all(config.appIdPrefix(), platforms);
    if (apply) {
      apply(platforms, acls);
      out.printf(
          "applied %d ACLs: %d services, %d platforms, operators%n",
          acls.size(), KafkaAcls.services().size(), platforms.size());
    } else {
      print(acls);
    }
    return 0;
  }

  private void print(List<AclBinding> acls) {
    out.println(
        "# The cluster's ACLs, from the topic catalogue (docs/SECURITY.md, \"The Kafka door\").");
    out.println(
        "# ADMIN_CONFIG: a client properties file with the operators' (or a super-user's) login.");
    String principal = null;
    for (AclBinding acl : acls) {
      if (!acl.entry().principal().equals(principal)) {
        principal = acl.entry().principal();
        out.println();
        out.println("# " + principal);
      }
      out.println(KafkaAcls.command(acl));
    }
  }

  /** Creates the catalogue's and the platforms' topics, then the ACLs: idempotent. */
  public void apply(List<String> platforms, List<AclBinding> acls)
      throws InterruptedException, ExecutionException {
    var topics = new ArrayList<TopicSpec<?, ?>>(Topics.all());
    topics.addAll(Topics.platformAnchors());
    for (String platform : platforms) {
      topics.addAll(Topics.forPlatform(platform));
    }
    TopicCreator.ensure(config, topics);
    try (Admin admin = Admin.create(TopicCreator.commonClientProps(config))) {
      admin.createAcls(acls).all().get();
    }
  }

  private List<String> knownPlatforms() {
    var credentials = new PlatformCredentials();
    CompactedTopics.readToEnd(
        config, AvroSerdes.from(config), Topics.PLATFORMS, credentials::apply);
    return credentials.all().stream()
        .filter(p -> p.getChange() != io.userpipe.schemas.PlatformChange.RETIRED)
        .map(p -> p.getPlatformId())
        .toList();
  }
}
