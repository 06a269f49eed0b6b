package io.userpipe.local;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import org.junit.jupiter.api.BeforeAll;

/** The walking skeleton on the embedded KRaft broker and the local Apicurio registry. */
class WalkingSkeletonTest extends WalkingSkeletonScenario {

  @BeforeAll
  static void start() {
    startPipeline(SharedKafka.config().with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url()));
  }
}
