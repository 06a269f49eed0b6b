package io.userpipe.commands;

import io.userpipe.commands.topology.UserCommandTopology;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.streams.StreamsService;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Runs user-command-service alone against the cluster named by the environment. */
public final class UserCommandService {

  public static final String NAME = "user-command-service";

  private UserCommandService() {}

  /** Builds the service; the caller starts and closes it. */
  public static StreamsService create(AppConfig config) {
    var serdes = AvroSerdes.from(config);
    return StreamsService.create(
        NAME, UserCommandTopology.build(serdes, Clock.systemUTC()), config, Map.of());
  }

  public static void main(String[] args) {
    var service = create(AppConfig.fromEnv());
    service.closeOnShutdown();
    service.start(Duration.ofSeconds(60));
  }
}
