package io.userpipe.projections.console;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.Request;
import io.userpipe.schemas.vocabulary.OfacStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What an officer asks the queue for: a status (or both), a platform, a list version, a least
 * waiting time, and the page. The rows it keeps are sorted oldest first, waiting time being what
 * orders a review queue (the user id breaks ties, so pages are stable).
 */
record QueueFilter(String status, String platform, String listVersion, Duration minAge, int page) {

  static final int PAGE_SIZE = 25;

  /** The queue's statuses, the one a reviewer decides first. */
  static final List<String> QUEUED =
      List.of(OfacStatus.IN_REVIEW.wire(), OfacStatus.ID_VERIFICATION_REQUIRED.wire());

  /** A least waiting time an officer can choose: its ISO-8601 form (the query's) and its label. */
  record Age(String iso, String label) {
    Duration duration() {
      return Duration.parse(iso);
    }
  }

  static final List<Age> AGES =
      List.of(
          new Age("PT1H", "1 hour or more"),
          new Age("P1D", "1 day or more"),
          new Age("P7D", "7 days or more"),
          new Age("P30D", "30 days or more"));

  /** The chosen least waiting time as the query names it; null for none. */
  String minAgeIso() {
    return AGES.stream()
        .filter(a -> a.duration().equals(minAge))
        .map(Age::iso)
        .findFirst()
        .orElse(null);
  }

  /** The statuses shown: one of the queue's, or both ("any"). */
  List<String> statuses() {
    return status == null ? QUEUED : List.of(status);
  }

  static QueueFilter of(Request request) {
    String status = blankToNull(request.query("status").orElse("in_review"));
    if ("any".equals(status)) {
      status = null;
    } else if (status != null && !QUEUED.contains(status)) {
      throw new ApiException(
          400, "invalid_field", "status: in_review, id_verification_required or any");
    }
    String raw = blankToNull(request.query("min_age").orElse(null));
    Duration minAge =
        raw == null
            ? null
            : AGES.stream()
                .filter(a -> a.iso().equals(raw))
                .findFirst()
                .map(Age::duration)
                .orElseThrow(
                    () ->
                        new ApiException(
                            400, "invalid_field", "min_age: one of the choices offered"));
    int page;
    try {
      page = Math.max(1, Integer.parseInt(request.query("page").orElse("1")));
    } catch (NumberFormatException e) {
      throw new ApiException(400, "invalid_field", "page: a number from 1");
    }
    return new QueueFilter(
        status,
        blankToNull(request.query("platform").orElse(null)),
        blankToNull(request.query("list_version").orElse(null)),
        minAge,
        page);
  }

  /** One page of the rows this filter keeps, oldest first. */
  QueuePage apply(List<QueueRow> rows, Instant now, boolean truncated) {
    List<QueueRow> kept = new ArrayList<>();
    for (QueueRow row : rows) {
      if ((status == null || status.equals(row.status()))
          && (platform == null || row.platforms().contains(platform))
          && (listVersion == null || listVersion.equals(row.listVersion()))
          && (minAge == null || !row.waitingSince().plus(minAge).isAfter(now))) {
        kept.add(row);
      }
    }
    kept.sort(Comparator.comparing(QueueRow::waitingSince).thenComparing(QueueRow::userId));
    int pages = Math.max(1, (kept.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    int shown = Math.min(page, pages);
    int from = (shown - 1) * PAGE_SIZE;
    return new QueuePage(
        kept.subList(from, Math.min(kept.size(), from + PAGE_SIZE)),
        shown,
        pages,
        kept.size(),
        truncated);
  }

  /** One page of the queue: the rows, which page of how many, how many in all. */
  record QueuePage(List<QueueRow> rows, int page, int pages, int total, boolean truncated) {}

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
