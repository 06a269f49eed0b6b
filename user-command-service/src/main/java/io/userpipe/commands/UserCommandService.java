package io.userpipe.commands;

import io.userpipe.commands.domain.VerificationPolicy;
import io.userpipe.commands.sms.KafkaSmsDeliveries;
import io.userpipe.commands.sms.OutboxFileSmsSender;
import io.userpipe.commands.sms.SmsRelay;
import io.userpipe.commands.sms.SmsSender;
import io.userpipe.commands.sms.SmsSenders;
import io.userpipe.commands.sms.SmsStatusCallback;
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
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * user-command-service: the Streams app that decides user commands, and the relay that sends its
 * text messages. Configuration beyond the common keys: {@code DATA_KEYS}, {@code EDGE_KEYS} (the
 * secrets in commands), {@code CODE_HASH_KEY}, {@code CODE_TTL} (PT10M), {@code CODE_MAX_ATTEMPTS}
 * (5), {@code CODE_MIN_RESEND_INTERVAL} (PT30S), {@code CODE_MAX_SENDS_PER_HOUR} (5); the SMS
 * provider ({@link io.userpipe.commands.sms.TwilioSettings}: {@code TWILIO_ACCOUNT_SID}, {@code
 * TWILIO_AUTH_TOKEN}, {@code TWILIO_FROM} or {@code TWILIO_MESSAGING_SERVICE_SID}, {@code
 * SMS_STATUS_CALLBACK_URL}, timeouts), required outside the local demo, whose {@code
 * SMS_OUTBOX_FILE} (var/sms-outbox.txt) stands in for the phone; {@code
 * SMS_MAX_PER_RECIPIENT_PER_HOUR} (10) and {@code SMS_MAX_PER_PLATFORM_PER_MINUTE} (1200).
 */
public final class UserCommandService implements ServiceMain.Service {

  public static final String NAME = "user-command-service";
  public static final String SMS_OUTBOX_FILE = SmsSenders.SMS_OUTBOX_FILE;

  /** The secrets it needs: it refuses to start without them, or with published ones. */
  public static final List<Secret> SECRETS =
      List.of(Secret.DATA_KEYS, Secret.EDGE_KEYS, Secret.CODE_HASH_KEY);

  private static final Logger log = LoggerFactory.getLogger(UserCommandService.class);

  private final StreamsService streams;
  private final SmsRelay relay;
  private final SmsSender sender;
  private final KafkaSmsDeliveries deliveries;
  private final Optional<SmsStatusCallback> statusCallback;

  private UserCommandService(
      StreamsService streams,
      SmsRelay relay,
      SmsSender sender,
      KafkaSmsDeliveries deliveries,
      Optional<SmsStatusCallback> statusCallback) {
    this.streams = streams;
    this.relay = relay;
    this.sender = sender;
    this.deliveries = deliveries;
    this.statusCallback = statusCallback;
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
    // before anything else is made: outside the local demo, no provider is a start-up error
    SmsSender sender = SmsSenders.sender(config, Clock.systemUTC());
    var deliveries = new KafkaSmsDeliveries(config, serdes);
    var relay =
        new SmsRelay(
            config,
            serdes,
            dataKeys,
            SmsSenders.dispatch(config, sender, deliveries, Clock.systemUTC()));
    var callback =
        SmsSenders.twilio(config)
            .flatMap(
                t ->
                    t.statusCallbackUrl()
                        .map(
                            url ->
                                new SmsStatusCallback(
                                    t.authToken(), url, deliveries, Clock.systemUTC())));
    return new UserCommandService(streams, relay, sender, deliveries, callback);
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
    if (sender instanceof OutboxFileSmsSender outbox) {
      log.info("SMS outbox (the local phone): {}", outbox.file());
    } else {
      log.info("SMS through {}", sender);
    }
  }

  public StreamsService streams() {
    return streams;
  }

  /** The SMS relay's loop: "UP", or "DOWN: why". */
  public String relayHealth() {
    return relay.health();
  }

  /** The local demo's outbox file, when that is where texts go. */
  public Path smsOutbox() {
    return sender instanceof OutboxFileSmsSender outbox ? outbox.file() : null;
  }

  @Override
  public void close() {
    relay.close();
    deliveries.close();
    streams.close();
  }

  @Override
  public void mount(HttpService http, HealthEndpoint health, MetricsEndpoint metrics) {
    ServiceMain.register(NAME, streams, health, metrics);
    health.register(NAME + ".sms-relay", this::relayHealth);
    // ready once the relay runs too: it starts after the streams, and a /ready that answered 200
    // before it did beside a /health that said DOWN told two stories (ServiceMainsTest saw it)
    health.registerReadiness(NAME + ".sms-relay", () -> relayHealth().equals("UP"));
    // Twilio's delivery-status callbacks, checked by their signature
    statusCallback.ifPresent(c -> http.route("POST", SmsStatusCallback.PATH, c));
  }

  public static void main(String[] args) {
    ServiceMain.run(NAME, SECRETS, UserCommandService::create, Duration.ofSeconds(60));
  }
}
