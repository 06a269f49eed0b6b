package io.userpipe.runtime.cli;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.SaltedSecrets;
import io.userpipe.runtime.kafka.CompactedTopics;
import io.userpipe.runtime.operators.OperatorCredentials;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.OperatorCredential;
import io.userpipe.schemas.Topics;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * {@code bin/operators}: who may operate, one credential each.
 *
 * <ul>
 *   <li>{@code add ID}: a new operator; prints its secret, once (only a salted hash is kept).
 *   <li>{@code rotate ID}: a new secret; the old one stops working.
 *   <li>{@code retire ID}: no secret works any more; the id is never given again.
 *   <li>{@code list}: every operator, its state and its last change; never a hash.
 * </ul>
 *
 * <p>Each change is one record on the compacted {@code operators} topic, decided against the topic
 * read to its end; every HTTP door follows the topic, so a change takes effect there a moment
 * later, without a restart. Two changes to one operator made at the same instant from two shells
 * are not serialized: the later record wins.
 */
public final class OperatorsTool {

  private final AppConfig config;
  private final PrintStream out;
  private final Clock clock;
  private final String by;
  private final AvroSerdes serdes;

  public OperatorsTool(AppConfig config, PrintStream out, String by) {
    this.config = config;
    this.serdes = AvroSerdes.from(config);
    this.out = out;
    this.clock = Clock.systemUTC();
    this.by = by;
  }

  public static void main(String[] args) throws Exception {
    var tool =
        new OperatorsTool(AppConfig.fromEnv(), System.out, System.getProperty("user.name", "?"));
    System.exit(tool.run(args));
  }

  public int run(String[] args) throws Exception {
    String command = args.length == 0 ? "" : args[0];
    try {
      switch (command) {
        case "list":
          list();
          return 0;
        case "add":
        case "rotate":
        case "retire":
          if (args.length != 2) {
            return usage();
          }
          String id = args[1];
          if (command.equals("retire")) {
            retire(id);
            out.printf("operator %s retired: its secret no longer works%n", id);
          } else {
            String secret = command.equals("add") ? add(id) : rotate(id);
            out.printf(
                "operator %s %s. Its secret, shown this once:%n%s%n"
                    + "Authenticate with HTTP Basic %s:<secret> (curl -u %s:<secret> ...)%n",
                id, command.equals("add") ? "added" : "rotated", secret, id, id);
          }
          return 0;
        default:
          return usage();
      }
    } catch (IllegalArgumentException e) {
      out.println("refused: " + e.getMessage());
      return 1;
    }
  }

  private int usage() {
    out.println("usage: bin/operators add ID | rotate ID | retire ID | list");
    return 2;
  }

  /** Adds an operator with a fresh secret, and answers the secret. */
  public String add(String operatorId) throws InterruptedException, ExecutionException {
    String secret = SaltedSecrets.newSecret();
    publish(current().add(operatorId, secret, clock.instant(), by));
    return secret;
  }

  /** Gives an operator a fresh secret, and answers it; the old one stops working. */
  public String rotate(String operatorId) throws InterruptedException, ExecutionException {
    String secret = SaltedSecrets.newSecret();
    publish(current().rotate(operatorId, secret, clock.instant(), by));
    return secret;
  }

  public void retire(String operatorId) throws InterruptedException, ExecutionException {
    publish(current().retire(operatorId, clock.instant(), by));
  }

  /**
   * The local demo's bootstrap: adds {@code operatorId} with the given secret unless an operator of
   * that id exists (retired included: a retired demo operator stays retired).
   *
   * @return whether it was added
   */
  public boolean addIfAbsent(String operatorId, String secret)
      throws InterruptedException, ExecutionException {
    OperatorCredentials known = current();
    if (known.find(operatorId).isPresent()) {
      return false;
    }
    publish(known.add(operatorId, secret, clock.instant(), by));
    return true;
  }

  public List<OperatorCredential> list() {
    List<OperatorCredential> all = current().all();
    for (OperatorCredential c : all) {
      out.printf(
          "%-32s %-8s since %s by %s%n",
          c.getOperatorId(),
          c.getChange() == io.userpipe.schemas.OperatorChange.RETIRED ? "retired" : "active",
          c.getChangedAt(),
          c.getChangedBy());
    }
    if (all.isEmpty()) {
      out.println("no operators");
    }
    return all;
  }

  /** The credentials as the topic holds them now, read to its end. */
  private OperatorCredentials current() {
    var credentials = new OperatorCredentials();
    CompactedTopics.readToEnd(config, serdes, Topics.OPERATORS, credentials::apply);
    return credentials;
  }

  private void publish(OperatorCredential credential)
      throws InterruptedException, ExecutionException {
    CompactedTopics.publish(
        config, serdes, Topics.OPERATORS, "operators-tool", credential.getOperatorId(), credential);
  }
}
