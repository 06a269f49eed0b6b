package io.userpipe.ofac.cli;

import io.userpipe.ofac.list.ListFiles;
import io.userpipe.ofac.list.ListPublisher;
import io.userpipe.ofac.list.MalformedListException;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.Topics;

/**
 * {@code bin/ofac-list load <dir|url>}: validates a list and publishes it as the new version on the
 * cluster {@code KAFKA_BOOTSTRAP_SERVERS} names; every screener re-screens its users. A malformed
 * list is refused with its file, line and reason (exit 1); the version in force stays.
 */
public final class LoadList {
  private LoadList() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[0].equals("load")) {
      System.err.println("usage: ofac-list load <directory|http(s) base URL>");
      System.exit(2);
    }
    var config = AppConfig.fromEnv();
    TopicCreator.ensure(config, Topics.all());
    try {
      var v =
          new ListPublisher(config, AvroSerdes.from(config))
              .publish(ListFiles.from(args[1]), args[1]);
      System.out.printf(
          "version %s in force: %d entries (%s)%n", v.getVersion(), v.getEntries(), v.getFiles());
    } catch (MalformedListException e) {
      System.err.println("refused: " + e.getMessage() + "; the version in force is unchanged");
      System.exit(1);
    }
  }
}
