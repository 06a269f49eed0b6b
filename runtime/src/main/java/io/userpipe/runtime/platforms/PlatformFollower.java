package io.userpipe.runtime.platforms;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.kafka.CompactedTopicFollower;
import io.userpipe.runtime.kafka.CompactedTopics;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.PlatformCredential;
import io.userpipe.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A door's view of the platforms: follows {@code platforms} into {@link PlatformCredentials}
 * ({@link CompactedTopicFollower}), so a key added, rotated or retired with {@code bin/platforms}
 * takes effect a moment later, without a restart; and seeds the topic with the {@code PLATFORMS}
 * entries it does not know yet.
 *
 * <p>Seeding runs on a thread of its own once the follower has caught up, and retries a transient
 * fault (a broker or registry outage) every few seconds until it is done: a door starts, and serves
 * the platforms the topic has, whatever the state of the registry. A seed the topic already knows
 * is skipped (the topic wins: the platform may have been rotated or retired since), with a warning
 * when its key differs.
 */
public final class PlatformFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PlatformFollower.class);
  private static final Duration RETRY = Duration.ofSeconds(3);

  private final AppConfig config;
  private final AvroSerdes serdes;
  private final String name;
  private final List<PlatformDirectory.Seed> seeds;
  private final PlatformCredentials credentials = new PlatformCredentials();
  private final CompactedTopicFollower<PlatformCredential> follower;
  private final PlatformDirectory directory;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread seeder;
  private volatile boolean seeded;

  /**
   * @param name the follower's thread, and the client id of its writers
   * @throws io.userpipe.runtime.config.Secret.Refused {@code PLATFORMS} names a published demo key
   *     outside the local demo
   */
  public PlatformFollower(AppConfig config, AvroSerdes serdes, String name) {
    this.config = config;
    this.serdes = serdes;
    this.name = name;
    this.seeds = PlatformDirectory.seeds(config);
    this.follower =
        new CompactedTopicFollower<>(
            config,
            serdes,
            Topics.PLATFORMS,
            name,
            (platformId, credential) -> {
              credentials.apply(platformId, credential);
              if (credential != null) {
                log.info(
                    "platform {}: {} ({} key(s))",
                    platformId,
                    credential.getChange(),
                    credential.getKeys().size());
              }
            });
    this.directory = new PlatformDirectory(credentials, this::ready, Clock.systemUTC());
    this.seeder = new Thread(this::seedUntilDone, name + "-seed");
    seeder.setDaemon(true);
  }

  /**
   * Notes where the topic ends now, then follows it, and seeds {@code PLATFORMS} once caught up.
   */
  public void start() {
    follower.start();
    if (!seeds.isEmpty()) {
      seeder.start();
    }
  }

  /** The platforms as read so far. */
  public PlatformCredentials credentials() {
    return credentials;
  }

  /** What a door authenticates platforms with. */
  public PlatformDirectory directory() {
    return directory;
  }

  /**
   * Whether every platform that existed when the follower started is known, and every {@code
   * PLATFORMS} seed is on the topic (or was skipped): until then the door answers 503, not a 401 it
   * could not be sure of.
   */
  public boolean ready() {
    if (!seeded) {
      seeded =
          follower.caughtUp()
              && seeds.stream()
                  .allMatch(
                      s ->
                          credentials.find(s.platformId()).isPresent()
                              || credentials.holdsClientId(s.clientId()));
    }
    return seeded;
  }

  /** "UP", or "DOWN: why" when the follower's loop has died or stopped polling. */
  public String health() {
    return follower.health();
  }

  private void seedUntilDone() {
    try {
      while (!follower.caughtUp()) {
        if (closed.await(100, TimeUnit.MILLISECONDS)) {
          return;
        }
      }
      while (true) {
        try {
          seed();
          return;
        } catch (RuntimeException | java.util.concurrent.ExecutionException e) {
          log.warn("seeding PLATFORMS failed, retrying in {}: {}", RETRY, e.toString());
        }
        if (closed.await(RETRY.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void seed() throws InterruptedException, java.util.concurrent.ExecutionException {
    for (PlatformDirectory.Seed s : seeds) {
      var known = credentials.find(s.platformId());
      if (known.isPresent()) {
        boolean sameKey = PlatformCredentials.hasSeededKey(known.get(), s.keySha256());
        if (!sameKey) {
          log.warn(
              "PLATFORMS entry for {} is ignored: the platforms topic has it ({}); change its key"
                  + " with bin/platforms",
              s.platformId(),
              known.get().getChange());
        }
        continue;
      }
      var added =
          credentials.seed(
              s.platformId(),
              s.clientId(),
              s.keySha256(),
              Clock.systemUTC().instant(),
              "seed:" + name);
      if (added.isEmpty()) {
        log.warn(
            "PLATFORMS entry for {} is ignored: client id {} belongs to another platform",
            s.platformId(),
            s.clientId());
        continue;
      }
      CompactedTopics.publish(
          config, serdes, Topics.PLATFORMS, name + "-seed", s.platformId(), added.get());
      log.info(
          "platform {} seeded from PLATFORMS (key sha256 {}...)",
          s.platformId(),
          HexFormat.of().formatHex(s.keySha256()).substring(0, 8));
    }
  }

  @Override
  public void close() {
    closed.countDown();
    follower.close();
  }
}
