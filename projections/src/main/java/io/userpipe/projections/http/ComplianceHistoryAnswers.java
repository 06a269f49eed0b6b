package io.userpipe.projections.http;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.userpipe.projections.view.ComplianceHistories;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.schemas.ComplianceChange;
import io.userpipe.schemas.ComplianceHistory;
import io.userpipe.schemas.OfacEvidence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answers of {@code GET /v2/users/{id}/compliance/history}, one record per JSON shape, and the
 * pure rules that make them from a person's compliance history for one platform.
 *
 * <p>What a platform sees is an allow-list: the status, the reason, the kind of actor, a reviewer's
 * operator id, the SDN list version, the matcher version, the listed entries matched and how each
 * of their tokens matched (list data), the IRS code. Never a platform id, a command or submission
 * id, a reviewer's free-text note, a name of the person or any part of a TIN: fields added to the
 * events later stay out until they are added here.
 */
public final class ComplianceHistoryAnswers {

  private ComplianceHistoryAnswers() {}

  /** A page of changes, oldest first, in the shape of the API's other lists. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Page(List<Change> data, boolean hasMore) {}

  /** One status change, with why and by whom. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Change(
      String id,
      String type,
      Instant occurredAt,
      String previousStatus,
      String status,
      String reason,
      Actor actor,
      OfacDetails ofac,
      TinDetails tin) {}

  /**
   * Who or what changed the status: {@code screening}, {@code rescreening} (a new list version),
   * {@code platform} (an ID verification or a W-9 a platform submitted; which platform is not
   * said), {@code reviewer} (with the operator's id) or {@code tin_matching} (the IRS answer).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Actor(String type, String reviewer) {}

  /**
   * OFAC: the list version in force, the matcher version that found the evidence (1 for changes
   * recorded before matcher versions were) and the listed entries the person matched.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record OfacDetails(String listVersion, String matcherVersion, List<Match> matches) {}

  /**
   * A listed entry the person matched: the list's own data, never the person's names; {@code
   * nameSource} says which of the person's names matched (profile, w9_individual, w9_business,
   * w8ben or w8ben_signature), {@code lapsed} what changed once a re-screening no longer finds it
   * (the status holds), {@code hint} what would help decide it ({@code date_of_birth_would_help},
   * {@code OfacHint}; null when none), {@code tokens} how each token of the matched listed name met
   * the person's name (empty for evidence recorded before tokens were).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Match(
      int entNum,
      String sdnName,
      String matchedName,
      String matchedKind,
      List<String> programs,
      double score,
      String entryFingerprint,
      String nameSource,
      String lapsed,
      String hint,
      List<Token> tokens) {}

  /**
   * A token of the matched listed name (never of the person's) and how it matched: exact, typo,
   * sound, repeated_letters, reversed, initial, joined or unmatched, with the pair's similarity.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Token(String listedToken, String how, double similarity) {}

  /** TIN: the IRS TIN-matching code of a decision (null while pending). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record TinDetails(Integer irsCode) {}

  /** The statuses in force at an instant, each with the change that set it (null: none yet). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AsOf(Instant asOf, Instant connectedSince, StatusAt ofac, StatusAt tin) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record StatusAt(String status, Change setBy) {}

  /** Actor types. */
  static final String SCREENING = "screening";

  static final String RESCREENING = "rescreening";
  static final String PLATFORM = "platform";
  static final String REVIEWER = "reviewer";
  static final String TIN_MATCHING = "tin_matching";

  /**
   * The changes a platform connected since {@code since} may see: for each kind, the change in
   * force when it connected and every change after. What happened before, while other platforms
   * alone had the person, stays theirs; what is shown is what the platform's own reads of the user
   * could have shown it, with the evidence. {@code since} null (a view from before connections):
   * everything.
   */
  static List<ComplianceChange> visible(ComplianceHistory history, Instant since) {
    if (history == null) {
      return List.of();
    }
    List<ComplianceChange> changes = history.getChanges();
    if (since == null) {
      return changes;
    }
    Map<String, Integer> opening = new java.util.HashMap<>();
    for (int i = 0; i < changes.size(); i++) {
      if (!changes.get(i).getOccurredAt().isAfter(since)) {
        opening.put(changes.get(i).getKind(), i);
      }
    }
    List<ComplianceChange> out = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      ComplianceChange c = changes.get(i);
      if (i >= opening.getOrDefault(c.getKind(), 0)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * Up to {@code limit} changes, oldest first, after the change {@code startingAfter} or before the
   * change {@code endingBefore} (ids of changes; at most one of them).
   */
  static Page page(
      List<ComplianceChange> changes, int limit, String startingAfter, String endingBefore) {
    int from = 0;
    int to = changes.size();
    if (startingAfter != null) {
      from = indexOf(changes, startingAfter, "starting_after") + 1;
    } else if (endingBefore != null) {
      to = indexOf(changes, endingBefore, "ending_before");
      from = Math.max(0, to - limit);
    }
    List<Change> data =
        changes.subList(from, Math.min(to, from + limit)).stream()
            .map(ComplianceHistoryAnswers::change)
            .toList();
    boolean hasMore = endingBefore != null ? from > 0 : from + limit < to;
    return new Page(data, hasMore);
  }

  private static int indexOf(List<ComplianceChange> changes, String id, String field) {
    for (int i = 0; i < changes.size(); i++) {
      if (changes.get(i).getEventId().equals(id)) {
        return i;
      }
    }
    throw ApiException.invalidField(field, "is not a change of this user's history");
  }

  /** The OFAC and TIN statuses in force at {@code at}: each kind's latest change at or before. */
  static AsOf asOf(List<ComplianceChange> changes, Instant at, Instant connectedSince) {
    ComplianceChange ofac = null;
    ComplianceChange tin = null;
    for (ComplianceChange c : changes) {
      if (c.getOccurredAt().isAfter(at)) {
        break; // ordered by occurrence
      }
      if (ComplianceHistories.OFAC.equals(c.getKind())) {
        ofac = c;
      } else if (ComplianceHistories.TIN.equals(c.getKind())) {
        tin = c;
      }
    }
    return new AsOf(at, connectedSince, statusAt(ofac), statusAt(tin));
  }

  private static StatusAt statusAt(ComplianceChange c) {
    return c == null ? null : new StatusAt(c.getStatus(), change(c));
  }

  static Change change(ComplianceChange c) {
    boolean ofac = ComplianceHistories.OFAC.equals(c.getKind());
    return new Change(
        c.getEventId(),
        c.getKind(),
        c.getOccurredAt(),
        c.getPreviousStatus(),
        c.getStatus(),
        c.getReason(),
        actor(c),
        ofac
            ? new OfacDetails(
                c.getListVersion(),
                ComplianceHistories.matcherVersion(c.getMatcherVersion()),
                matches(c.getEvidence()))
            : null,
        ofac ? null : new TinDetails(c.getIrsCode()));
  }

  static Actor actor(ComplianceChange c) {
    if (c.getReviewer() != null) {
      return new Actor(REVIEWER, c.getReviewer());
    }
    String reason = c.getReason();
    if (ComplianceHistories.OFAC.equals(c.getKind())) {
      return new Actor(
          switch (reason) {
            case "id_verification" -> PLATFORM;
            case "rescreening" -> RESCREENING;
            case "review" -> REVIEWER; // a review recorded without its reviewer
            default -> SCREENING;
          },
          null);
    }
    return new Actor("submitted".equals(reason) ? PLATFORM : TIN_MATCHING, null);
  }

  private static List<Match> matches(List<OfacEvidence> evidence) {
    return evidence.stream()
        .map(
            e ->
                new Match(
                    e.getEntNum(),
                    e.getSdnName(),
                    e.getMatchedName(),
                    e.getMatchedKind(),
                    List.copyOf(e.getPrograms()),
                    e.getScore(),
                    e.getEntryFingerprint(),
                    ComplianceHistories.nameSource(e),
                    e.getLapsed(),
                    e.getHint(),
                    tokens(e)))
        .toList();
  }

  /** The listed tokens of a finding, how each matched: the history's and the review queue's. */
  static List<Token> tokens(OfacEvidence e) {
    return e.getTokens().stream()
        .map(t -> new Token(t.getListedToken(), t.getHow(), t.getSimilarity()))
        .toList();
  }
}
