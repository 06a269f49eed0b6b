package io.userpipe.commands.domain;

import java.time.Duration;

/**
 * How one-time codes behave: how long a code lives, how many wrong guesses kill it, and how often a
 * new one may be sent (each text costs money and can be abused to pester a phone).
 */
public record VerificationPolicy(
    Duration codeTtl, int maxAttempts, Duration minResendInterval, int maxSendsPerHour) {

  public static final VerificationPolicy DEFAULT =
      new VerificationPolicy(Duration.ofMinutes(10), 5, Duration.ofSeconds(30), 5);
}
