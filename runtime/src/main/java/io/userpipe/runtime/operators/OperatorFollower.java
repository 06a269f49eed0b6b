package io.userpipe.runtime.operators;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.CompactedTopicFollower;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.OperatorCredential;
import io.userpipe.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code operators} into {@link OperatorCredentials} ({@link CompactedTopicFollower}): a
 * credential added, rotated or retired with {@code bin/operators} takes effect at every HTTP door a
 * moment later, without a restart.
 */
public final class OperatorFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OperatorFollower.class);

  private final OperatorCredentials credentials = new OperatorCredentials();
  private final CompactedTopicFollower<OperatorCredential> follower;

  /**
   * @param name the follower's thread, and the client id of its dead-letter writer
   */
  public OperatorFollower(AppConfig config, AvroSerdes serdes, String name) {
    this.follower =
        new CompactedTopicFollower<>(
            config,
            serdes,
            Topics.OPERATORS,
            name,
            (operatorId, credential) -> {
              credentials.apply(operatorId, credential);
              if (credential != null) {
                log.info("operator {}: {}", operatorId, credential.getChange());
              }
            });
  }

  /** Notes where the topic ends now, then follows it on a thread of its own. */
  public void start() {
    follower.start();
  }

  public OperatorCredentials credentials() {
    return credentials;
  }

  /** Whether every credential that existed when the follower started is known. */
  public boolean caughtUp() {
    return follower.caughtUp();
  }

  /** "UP", or "DOWN: why" when the follower's loop has died or stopped polling. */
  public String health() {
    return follower.health();
  }

  @Override
  public void close() {
    follower.close();
  }
}
