package io.userpipe.projections.console;

import io.userpipe.projections.http.UserReader;
import io.userpipe.projections.http.ViewQueries;
import io.userpipe.projections.view.ComplianceHistories;
import io.userpipe.projections.view.Connections;
import io.userpipe.schemas.ComplianceChange;
import io.userpipe.schemas.ComplianceHistory;
import io.userpipe.schemas.Connection;
import io.userpipe.schemas.OfacEvidence;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.UserView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the console reads, all from projections' views (folded from the event log): the users
 * waiting in the review queue with what an officer filters and sorts them by, and one user's case.
 */
final class ConsoleCases {

  /**
   * The most queued users one listing looks at. Sorting oldest first and filtering by platform need
   * every queued user's case, not an index page; past this bound the page says the list is cut.
   */
  static final int MAX_SCANNED = 2_000;

  private static final int BATCH = 500;

  /** A user's case as a reviewer weighs it. */
  record CaseFile(
      String userId,
      UserReader.ReadableUser user,
      OfacStatusChanged ofac,
      List<ComplianceChange> history,
      Instant waitingSince) {}

  /** The queued users found, and whether there were more than {@link #MAX_SCANNED}. */
  record Scan(List<QueueRow> rows, boolean truncated) {}

  private final ViewQueries views;
  private final UserReader reader;

  ConsoleCases(ViewQueries views, UserReader reader) {
    this.views = views;
    this.reader = reader;
  }

  Scan queue(List<String> statuses) {
    List<QueueRow> rows = new ArrayList<>();
    for (String status : statuses) {
      String after = null;
      while (true) {
        List<String> ids = views.reviewQueue(status, after, BATCH);
        for (String id : ids) {
          if (rows.size() >= MAX_SCANNED) {
            return new Scan(rows, true);
          }
          row(id).filter(r -> r.status().equals(status)).ifPresent(rows::add);
        }
        if (ids.size() < BATCH) {
          break;
        }
        after = ids.get(ids.size() - 1);
      }
    }
    return new Scan(rows, false);
  }

  private Optional<QueueRow> row(String userId) {
    Optional<OfacStatusChanged> status = views.ofacStatus(userId);
    if (status.isEmpty()) {
      return Optional.empty();
    }
    OfacStatusChanged change = status.get();
    List<OfacEvidence> evidence = change.getEvidence();
    OfacEvidence top =
        evidence.stream().max(Comparator.comparingDouble(OfacEvidence::getScore)).orElse(null);
    List<String> platforms = views.user(userId).map(ConsoleCases::platforms).orElse(List.of());
    return Optional.of(
        new QueueRow(
            userId,
            change.getStatus(),
            waitingSince(change, history(userId)),
            change.getListVersion(),
            change.getScreeningVersion(),
            evidence.size(),
            top == null ? null : top.getSdnName(),
            top == null ? 0 : top.getScore(),
            platforms));
  }

  Optional<CaseFile> caseFile(String userId) {
    Optional<OfacStatusChanged> status = views.ofacStatus(userId);
    Optional<UserReader.ReadableUser> user = reader.read(userId);
    if (status.isEmpty() || user.isEmpty()) {
      return Optional.empty();
    }
    List<ComplianceChange> history = history(userId);
    return Optional.of(
        new CaseFile(
            userId, user.get(), status.get(), history, waitingSince(status.get(), history)));
  }

  /** The user's latest OFAC status change: what the event log says now. */
  Optional<OfacStatusChanged> status(String userId) {
    return views.ofacStatus(userId);
  }

  private List<ComplianceChange> history(String userId) {
    return views.complianceHistory(userId).map(ComplianceHistory::getChanges).orElse(List.of());
  }

  /**
   * Since when the user waits in their status: the latest OFAC status change of their history (a
   * re-screening that only adds evidence changes no status, and so does not reset the wait).
   */
  static Instant waitingSince(OfacStatusChanged current, List<ComplianceChange> history) {
    for (int i = history.size() - 1; i >= 0; i--) {
      ComplianceChange c = history.get(i);
      if (ComplianceHistories.OFAC.equals(c.getKind())
          && c.getStatus().equals(current.getStatus())) {
        return c.getOccurredAt();
      }
    }
    return current.getOccurredAt();
  }

  static List<String> platforms(UserView view) {
    return Connections.of(view).stream().map(Connection::getPlatformId).sorted().toList();
  }
}
