package io.userpipe.ofac.list;

import io.userpipe.runtime.http.HealthEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How fresh the list in force is, at one instant: what health and metrics show, and whether it is
 * stale. Pure: the time is passed in.
 *
 * <p>A list is stale when it has not been <em>confirmed</em> as OFAC's current one for longer than
 * {@code maxAge}. Publishing it confirms it, and so does a later fetch that finds the same content:
 * OFAC goes a week or two without changing the SDN list now and then, and warning then would teach
 * people to ignore the warning. Without a scheduled fetch only publication confirms, so the warning
 * reminds whoever loads lists by hand.
 *
 * @param inForce the version screened with now, if any
 * @param source where the scheduled fetch reads the list, if it runs
 */
public record ListFreshness(
    Optional<ListInForce> inForce,
    Optional<String> source,
    FetchStatus fetches,
    Duration maxAge,
    Instant now) {

  /** The setting that names {@link #maxAge}. */
  public static final String OFAC_LIST_MAX_AGE = "OFAC_LIST_MAX_AGE";

  /**
   * A week of OFAC updates missed, plus a day: someone who loads the list by hand every week is
   * never warned, and a scheduled fetch that keeps failing is noticed within the week.
   */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(8);

  /** How long ago the list in force was published. */
  public Optional<Duration> age() {
    return inForce.map(l -> Duration.between(l.publishedAt(), now));
  }

  /** When the list in force was last known to be OFAC's current list. */
  public Optional<Instant> confirmedAt() {
    return inForce.map(
        l -> fetches.lastSuccess().filter(s -> s.isAfter(l.publishedAt())).orElse(l.publishedAt()));
  }

  /** How long ago the list in force was last known to be current. */
  public Optional<Duration> confirmedAge() {
    return confirmedAt().map(at -> Duration.between(at, now));
  }

  /** Whether the list in force has gone unconfirmed for longer than {@link #maxAge}. */
  public boolean stale() {
    return confirmedAge().map(age -> age.compareTo(maxAge) > 0).orElse(false);
  }

  /** Why a person should look, when the list is stale. */
  public Optional<String> warning() {
    if (!stale()) {
      return Optional.empty();
    }
    ListInForce list = inForce.orElseThrow();
    var why =
        new StringBuilder("the OFAC list in force (version ")
            .append(list.version())
            .append(", '")
            .append(list.label())
            .append("') was last confirmed current ")
            .append(readable(confirmedAge().orElseThrow()))
            .append(" ago, longer than ")
            .append(OFAC_LIST_MAX_AGE)
            .append(' ')
            .append(maxAge);
    if (source.isEmpty()) {
      why.append("; no scheduled fetch runs (OFAC_LIST_SOURCE): load a newer list");
    } else {
      fetches.lastError().ifPresent(e -> why.append("; the last fetch failed: ").append(e));
    }
    return Optional.of(why.toString());
  }

  /** The health details: every field named, {@code null} where nothing is known yet. */
  public Map<String, Object> details() {
    var out = new LinkedHashMap<String, Object>();
    out.put("version", inForce.map(ListInForce::version).orElse(null));
    out.put("label", inForce.map(ListInForce::label).orElse(null));
    out.put("published_at", inForce.map(l -> l.publishedAt().toString()).orElse(null));
    out.put("age_seconds", age().map(Duration::toSeconds).orElse(null));
    out.put("confirmed_at", confirmedAt().map(Instant::toString).orElse(null));
    out.put("max_age", maxAge.toString());
    out.put("stale", stale());
    out.put("source", source.orElse(null));
    out.put("last_fetch_at", fetches.lastAttempt().map(Instant::toString).orElse(null));
    out.put("last_fetch_success_at", fetches.lastSuccess().map(Instant::toString).orElse(null));
    out.put("last_fetch_error", fetches.lastError().orElse(null));
    out.put("fetch_failures", fetches.failures());
    out.put(HealthEndpoint.WARNING, warning().orElse(null)); // health lists it under warnings
    return out;
  }

  private static String readable(Duration d) {
    long days = d.toDays();
    long hours = d.toHoursPart();
    return days > 0 ? days + " d " + hours + " h" : hours + " h " + d.toMinutesPart() + " min";
  }
}
