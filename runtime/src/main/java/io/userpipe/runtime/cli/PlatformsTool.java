package io.userpipe.runtime.cli;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.kafka.CompactedTopics;
import io.userpipe.runtime.kafka.TopicCreator;
import io.userpipe.runtime.platforms.PlatformCredentials;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.PlatformChange;
import io.userpipe.schemas.PlatformCredential;
import io.userpipe.schemas.PlatformKey;
import io.userpipe.schemas.Topics;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code bin/platforms}: the platforms that may call the API, and their API keys.
 *
 * <ul>
 *   <li>{@code add ID [CLIENT_ID]}: a new platform (client id = ID unless given); prints its key,
 *       once (only a salted hash is kept).
 *   <li>{@code rotate ID [--grace DURATION]}: a new key, printed once; the old one keeps working
 *       for the grace period (default 24h; {@code 0} ends it at once, at most 30 days).
 *   <li>{@code end-grace ID}: every key but the newest stops working now (a leaked old key).
 *   <li>{@code retire ID}: no key works any more; neither id is given again.
 *   <li>{@code list}: every platform, its state, its keys (ids and expiries, never a hash).
 * </ul>
 *
 * <p>Each change is one record on the compacted {@code platforms} topic, decided against the topic
 * read to its end; every HTTP door follows the topic, so a change takes effect there a moment
 * later, without a restart. Two changes to one platform made at the same instant from two shells
 * are not serialized: the later record wins.
 */
public final class PlatformsTool {

  static final Duration DEFAULT_GRACE = Duration.ofHours(24);
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([smhd])");

  private final AppConfig config;
  private final AvroSerdes serdes;
  private final PrintStream out;
  private final Clock clock;
  private final String by;

  public PlatformsTool(AppConfig config, PrintStream out, String by, Clock clock) {
    this.config = config;
    this.serdes = AvroSerdes.from(config);
    this.out = out;
    this.by = by;
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    var tool =
        new PlatformsTool(
            AppConfig.fromEnv(),
            System.out,
            System.getProperty("user.name", "?"),
            Clock.systemUTC());
    System.exit(tool.run(args));
  }

  public int run(String[] args) throws Exception {
    List<String> a = List.of(args);
    try {
      if (a.equals(List.of("list"))) {
        list();
      } else if (a.size() >= 2 && a.size() <= 3 && a.get(0).equals("add")) {
        String clientId = a.size() == 3 ? a.get(2) : a.get(1);
        printKey(a.get(1), "added", clientId, add(a.get(1), clientId));
      } else if (a.size() == 2 && a.get(0).equals("rotate")
          || a.size() == 4 && a.get(0).equals("rotate") && a.get(2).equals("--grace")) {
        Duration grace = a.size() == 4 ? parseGrace(a.get(3)) : DEFAULT_GRACE;
        String key = rotate(a.get(1), grace);
        printKey(a.get(1), "rotated", current(a.get(1)).getClientId(), key);
        out.printf(
            "the previous key works until %s (grace %s)%n", clock.instant().plus(grace), grace);
      } else if (a.size() == 2 && a.get(0).equals("end-grace")) {
        endGrace(a.get(1));
        out.printf("platform %s: only its newest key works now%n", a.get(1));
      } else if (a.size() == 2 && a.get(0).equals("retire")) {
        retire(a.get(1));
        out.printf("platform %s retired: none of its keys works%n", a.get(1));
      } else {
        out.println(
            "usage: bin/platforms add ID [CLIENT_ID] | rotate ID [--grace DURATION] | end-grace ID"
                + " | retire ID | list");
        return 2;
      }
      return 0;
    } catch (IllegalArgumentException e) {
      out.println("refused: " + e.getMessage());
      return 1;
    }
  }

  private void printKey(String platformId, String what, String clientId, String key) {
    out.printf(
        "platform %s %s. Its API key, shown this once:%n%s%n"
            + "Authenticate with HTTP Basic %s:<key> (curl -u %s:<key> ...)%n",
        platformId, what, key, clientId, clientId);
  }

  /** Adds a platform with a fresh key, and answers the key. */
  public String add(String platformId, String clientId)
      throws InterruptedException, ExecutionException {
    String key = PlatformCredentials.newApiKey();
    var added = known().add(platformId, clientId, key, clock.instant(), by);
    // its Kafka door: the topics only its principal may write (bin/acls prints the ACLs)
    TopicCreator.ensure(config, Topics.forPlatform(platformId));
    publish(added);
    return key;
  }

  /** Gives a platform a fresh key, and answers it; the old one works for {@code grace} more. */
  public String rotate(String platformId, Duration grace)
      throws InterruptedException, ExecutionException {
    String key = PlatformCredentials.newApiKey();
    publish(known().rotate(platformId, key, grace, clock.instant(), by));
    return key;
  }

  public void endGrace(String platformId) throws InterruptedException, ExecutionException {
    publish(known().endGrace(platformId, clock.instant(), by));
  }

  public void retire(String platformId) throws InterruptedException, ExecutionException {
    publish(known().retire(platformId, clock.instant(), by));
  }

  public List<PlatformCredential> list() {
    List<PlatformCredential> all = known().all();
    for (PlatformCredential p : all) {
      out.printf(
          "%-24s client %-24s %-8s keys [%s] since %s (%s) by %s%n",
          p.getPlatformId(),
          p.getClientId(),
          p.getChange() == PlatformChange.RETIRED ? "retired" : "active",
          p.getKeys().stream().map(PlatformsTool::describe).collect(Collectors.joining(", ")),
          p.getChangedAt(),
          p.getChange().name().toLowerCase(Locale.ROOT),
          p.getChangedBy());
    }
    if (all.isEmpty()) {
      out.println("no platforms");
    }
    return all;
  }

  private static String describe(PlatformKey key) {
    return key.getKeyId()
        + (key.getExpiresAt() == null ? " current" : " until " + key.getExpiresAt());
  }

  private PlatformCredential current(String platformId) {
    return known()
        .find(platformId)
        .orElseThrow(() -> new IllegalArgumentException("no platform " + platformId));
  }

  static Duration parseGrace(String value) {
    if (value.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = SHORT_DURATION.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "a grace period is like 0, 90s, 30m, 24h, 7d or PT24H, got '" + value + "'");
    }
  }

  /** The platforms as the topic holds them now, read to its end. */
  private PlatformCredentials known() {
    var credentials = new PlatformCredentials();
    CompactedTopics.readToEnd(config, serdes, Topics.PLATFORMS, credentials::apply);
    return credentials;
  }

  private void publish(PlatformCredential platform)
      throws InterruptedException, ExecutionException {
    CompactedTopics.publish(
        config, serdes, Topics.PLATFORMS, "platforms-tool", platform.getPlatformId(), platform);
  }
}
