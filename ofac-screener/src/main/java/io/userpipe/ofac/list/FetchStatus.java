package io.userpipe.ofac.list;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one instance knows of its scheduled fetches of the list: when it last tried, when it last
 * got a well-formed list (new or the one in force), and why the last try failed if it did. Pure:
 * the time of each outcome is passed in.
 *
 * @param failures every failed fetch since the start, for the counter an alert watches
 * @param failuresInARow failed fetches since the last good one, for the back-off
 */
public record FetchStatus(
    Optional<Instant> lastAttempt,
    Optional<Instant> lastSuccess,
    Optional<String> lastError,
    long failures,
    int failuresInARow) {

  /**
   * The first retry after a failure. OFAC's download site answers 5xx now and then for a minute or
   * two; waiting the full interval (hours) after such a blip would leave the list unchecked for
   * nothing, and retrying at once would only meet the same blip.
   */
  public static final Duration FIRST_RETRY = Duration.ofMinutes(1);

  public static FetchStatus none() {
    return new FetchStatus(Optional.empty(), Optional.empty(), Optional.empty(), 0, 0);
  }

  /**
   * A well-formed list was fetched at {@code at}: published, or found equal to the one in force.
   */
  public FetchStatus succeeded(Instant at) {
    return new FetchStatus(Optional.of(at), Optional.of(at), Optional.empty(), failures, 0);
  }

  /**
   * A fetch failed at {@code at}: unreachable, an HTTP error, a malformed list, or not published.
   */
  public FetchStatus failed(Instant at, String why) {
    return new FetchStatus(
        Optional.of(at), lastSuccess, Optional.of(why), failures + 1, failuresInARow + 1);
  }

  /**
   * When to fetch next: {@code every} after a good fetch; after failures, {@link #FIRST_RETRY}
   * doubled per failure in a row, never longer than {@code every}. A failure is only ever retried,
   * never given up on: the list in force stays meanwhile, and the stale warning tells a person when
   * retrying has not been enough.
   */
  public Duration nextDelay(Duration every) {
    if (failuresInARow == 0) {
      return every;
    }
    Duration backoff = FIRST_RETRY;
    for (int i = 1; i < failuresInARow && backoff.compareTo(every) < 0; i++) {
      backoff = backoff.multipliedBy(2);
    }
    return backoff.compareTo(every) < 0 ? backoff : every;
  }
}
