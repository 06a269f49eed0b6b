package io.userpipe.runtime.crypto;

import io.userpipe.runtime.config.AppConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAmount;

/**
 * How long decision records stay readable: each retention key seals one calendar month (UTC) and is
 * shredded once that month and the retention period have both passed. OFAC's recordkeeping rule (31
 * CFR 501.601) asks for five years, the default. Configured by {@code DECISION_RETENTION}: an
 * ISO-8601 period or duration ({@code P5Y}, {@code P90D}, {@code PT1H}) or a number of years.
 */
public record RetentionPolicy(TemporalAmount retention) {

  public static final String DECISION_RETENTION = "DECISION_RETENTION";
  public static final RetentionPolicy DEFAULT = new RetentionPolicy(Period.ofYears(5));

  public static RetentionPolicy from(AppConfig config) {
    return config.find(DECISION_RETENTION).map(RetentionPolicy::parse).orElse(DEFAULT);
  }

  public static RetentionPolicy parse(String text) {
    String s = text.trim();
    try {
      if (s.matches("\\d+")) {
        return new RetentionPolicy(Period.ofYears(Integer.parseInt(s)));
      }
      if (!s.contains("T")) {
        return new RetentionPolicy(Period.parse(s));
      }
      return new RetentionPolicy(Duration.parse(s));
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(
          DECISION_RETENTION + " must be an ISO-8601 period (P5Y) or a number of years: " + text);
    }
  }

  /** The period (month, UTC) a decision taken at {@code at} is sealed for. */
  public static YearMonth periodOf(Instant at) {
    return YearMonth.from(at.atZone(ZoneOffset.UTC));
  }

  /** When the keys of a period are shredded: the end of the month plus the retention. */
  public Instant expiresAt(YearMonth period) {
    return period.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).plus(retention).toInstant();
  }

  public boolean expired(YearMonth period, Instant now) {
    return !now.isBefore(expiresAt(period));
  }
}
