package io.userpipe.commands.sms;

import java.time.Duration;
import java.util.Optional;

/**
 * A send that failed on something that can pass (the provider's 429 or 5xx, a timeout, a broken
 * connection): the relay tries again later, after {@link #retryAfter} when the provider said. The
 * message names the HTTP status or the I/O error, never the request.
 */
public final class TransientSmsException extends Exception {

  private final transient Duration retryAfter;

  public TransientSmsException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public TransientSmsException(String message, Throwable cause) {
    super(message, cause);
    this.retryAfter = null;
  }

  /** How long the provider asked us to wait, when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
