package io.userpipe.commands;

import io.userpipe.commands.domain.VerificationPolicy;
import io.userpipe.commands.sms.OutboxFileSmsSender;
import io.userpipe.commands.sms.SmsRelay;
import io.userpipe.commands.topology.UserCommandTopology;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.SecretHasher;
import io.userpipe.runtime.http.HealthEndpoint;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.MetricsEndpoint;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.runtime.service.ServiceMain;
import io.userpipe.runtime.streams.StreamsService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * user-command-service: the Streams app that decides user commands, and the relay that sends its
 * text messages. Configuration beyond the common keys: {@code DATA_KEYS}, {@code EDGE_KEYS} (the
 * secrets in commands), {@code CODE_HASH_KEY}, {@code CODE_TTL} (PT10M), {@code CODE_MAX_ATTEMPTS}
 * (5), {@code CODE_MIN_RESEND_INTERVAL} (PT30S), {@code CODE_MAX_SENDS_PER_HOUR} (5), {@code
 * SMS_OUTBOX_FILE} (var/sms-outbox.txt).
 */
public final class UserCommandService implements ServiceMain.Service {

  public static final String NAME = "user-command-service";
  public static final String SMS_OUTBOX_FILE = "SMS_OUTBOX_FILE";

  /** The secrets it needs: it refuses to start without them, or with published ones. */
  public static final List<Secret> SECRETS =
      List.of(Secret.DATA_KEYS, Secret.EDGE_KEYS, Secret.CODE_HASH_KEY);

  private static final Logger log = LoggerFactory.getLogger(UserCommandService.class);

  private final StreamsService streams;
  private final SmsRelay relay;
  private final Path outbox;

  private UserCommandService(StreamsService streams, SmsRelay relay, Path outbox) {
    this.streams = streams;
    this.relay = relay;
    this.outbox = outbox;
  }

  public static UserCommandService create(AppConfig config) {
    Secret.check(config, SECRETS);
    var serdes = AvroSerdes.from(config);
    var dataKeys = DataKeys.from(config);
    var settings =
        new UserCommandTopology.Settings(
            dataKeys, DataKeys.edgeFrom(config), SecretHasher.from(config), policy(config));
    // Its four inputs need no order between them (a command, a command from another partition, a
    // freed number, an OFAC status: each race has an answer), so a task need not wait for an empty
    // input to be fetched before it decides what it has; Streams' check for that also formatted a
    // message for every empty input on every pass (5% of the thread in a profile).
    var streams =
        StreamsService.create(
            NAME,
            UserCommandTopology.build(serdes, Clock.systemUTC(), settings),
            config,
            Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
    Path outbox = Path.of(config.get(SMS_OUTBOX_FILE, "var/sms-outbox.txt")).toAbsolutePath();
    var relay =
        new SmsRelay(config, serdes, dataKeys, new OutboxFileSmsSender(outbox, Clock.systemUTC()));
    return new UserCommandService(streams, relay, outbox);
  }

  static VerificationPolicy policy(AppConfig config) {
    var d = VerificationPolicy.DEFAULT;
    return new VerificationPolicy(
        config.getDuration("CODE_TTL", d.codeTtl()),
        config.getInt("CODE_MAX_ATTEMPTS", d.maxAttempts()),
        config.getDuration("CODE_MIN_RESEND_INTERVAL", d.minResendInterval()),
        config.getInt("CODE_MAX_SENDS_PER_HOUR", d.maxSendsPerHour()));
  }

  public void start(Duration timeout) {
    streams.start(timeout);
    relay.start();
    log.info("SMS outbox (the local phone): {}", outbox);
  }

  public StreamsService streams() {
    return streams;
  }

  /** The SMS relay's loop: "UP", or "DOWN: why". */
  public String relayHealth() {
    return relay.health();
  }

  public Path smsOutbox() {
    return outbox;
  }

  @Override
  public void close() {
    relay.close();
    streams.close();
  }

  @Override
  public void mount(HttpService http, HealthEndpoint health, MetricsEndpoint metrics) {
    ServiceMain.register(NAME, streams, health, metrics);
    health.register(NAME + ".sms-relay", this::relayHealth);
  }

  public static void main(String[] args) {
    ServiceMain.run(NAME, SECRETS, UserCommandService::create, Duration.ofSeconds(60));
  }
}
