package io.userpipe.commands.sms;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Limits on what is sent, on top of the decider's code throttling (which counts per user): per
 * recipient number (a number shared by a pending and a connected platform, or asked for again and
 * again after each code expires) and per platform (one platform's burst of creates must not spend
 * the account's sending capacity, nor make a toll-fraud pump). Sliding windows counted in memory,
 * per relay instance: they bound what one relay sends, not the cluster's total (ARCHITECTURE.md,
 * "SMS delivery").
 */
final class SmsRateLimits {

  static final String RECIPIENT_LIMIT = "recipient_limit";
  static final String PLATFORM_LIMIT = "platform_limit";

  /** How many recipients are remembered at most; the oldest are forgotten first. */
  static final int MAX_RECIPIENTS = 100_000;

  record Limit(int count, Duration window) {}

  private final Limit perRecipient;
  private final Limit perPlatform;
  private final Clock clock;
  private final Map<String, Deque<Instant>> recipients = new java.util.LinkedHashMap<>();
  private final Map<String, Deque<Instant>> platforms = new HashMap<>();

  SmsRateLimits(Limit perRecipient, Limit perPlatform, Clock clock) {
    this.perRecipient = perRecipient;
    this.perPlatform = perPlatform;
    this.clock = clock;
  }

  /**
   * Counts one message to {@code recipient} for {@code platform} (null: not known) and answers
   * nothing, or which limit it is over; a message over a limit is not counted.
   */
  synchronized Optional<String> admit(String recipient, String platform) {
    Instant now = clock.instant();
    Deque<Instant> byRecipient = recipients.computeIfAbsent(recipient, r -> new ArrayDeque<>());
    if (full(byRecipient, perRecipient, now)) {
      return Optional.of(RECIPIENT_LIMIT);
    }
    Deque<Instant> byPlatform =
        platform == null ? null : platforms.computeIfAbsent(platform, p -> new ArrayDeque<>());
    if (byPlatform != null && full(byPlatform, perPlatform, now)) {
      return Optional.of(PLATFORM_LIMIT);
    }
    byRecipient.addLast(now);
    if (byPlatform != null) {
      byPlatform.addLast(now);
    }
    if (recipients.size() > MAX_RECIPIENTS) {
      recipients.values().removeIf(d -> d.isEmpty() || expired(d, perRecipient, now));
    }
    return Optional.empty();
  }

  private static boolean full(Deque<Instant> sent, Limit limit, Instant now) {
    while (!sent.isEmpty() && !sent.peekFirst().isAfter(now.minus(limit.window()))) {
      sent.removeFirst();
    }
    return sent.size() >= limit.count();
  }

  private static boolean expired(Deque<Instant> sent, Limit limit, Instant now) {
    return !sent.peekLast().isAfter(now.minus(limit.window()));
  }
}
