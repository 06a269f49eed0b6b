package io.userpipe.projections.http;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.userpipe.projections.topology.ReviewQueue;
import io.userpipe.projections.view.ComplianceHistories;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.runtime.operators.OperatorAuth;
import io.userpipe.schemas.OfacEvidence;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.vocabulary.OfacStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET
 * /admin/ofac/review-queue?status=in_review|id_verification_required&limit=&starting_after=}: the
 * users waiting for a reviewer (or for their ID verification), with the OFAC evidence, for the
 * people who review them. Ordered by user id; {@code starting_after} pages.
 */
public final class ReviewQueueApi {

  private final ViewQueries views;
  private final OperatorAuth operators;

  public ReviewQueueApi(ViewQueries views, OperatorAuth operators) {
    this.views = views;
    this.operators = operators;
  }

  public void mount(HttpService http) {
    http.route("GET", "/admin/ofac/review-queue", this::list);
  }

  Response list(Request request) {
    operators.authenticate(request);
    String status = request.query("status").orElse(OfacStatus.IN_REVIEW.wire());
    if (!ReviewQueue.QUEUED.contains(status)) {
      throw ApiException.invalidField("status", "must be in_review or id_verification_required");
    }
    int limit = Paging.limit(request, 50);
    String after = request.query("starting_after").orElse(null);
    List<String> ids = views.reviewQueue(status, after, limit + 1);
    List<Entry> data = new ArrayList<>();
    for (String userId : ids.subList(0, Math.min(limit, ids.size()))) {
      views.ofacStatus(userId).ifPresent(change -> data.add(entry(change)));
    }
    return Response.ok(new Page(data, ids.size() > limit));
  }

  /** A page of the queue. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Page(List<Entry> data, boolean hasMore) {}

  /**
   * One case waiting. {@code screening_version} is the version of the case this entry shows: a
   * review sends it back, and is refused as a conflict if the case changed since (null for a case
   * last changed before versions existed).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Entry(
      String userId,
      String ofacStatus,
      String since,
      String reason,
      String listVersion,
      String matcherVersion,
      Long screeningVersion,
      List<Evidence> evidence) {}

  /** A listed entry the person matched: which of their names, never the name. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Evidence(
      int entNum,
      String sdnName,
      String matchedName,
      String matchedKind,
      String nameSource,
      List<String> programs,
      double score,
      String lapsed,
      String hint,
      List<ComplianceHistoryAnswers.Token> tokens) {}

  private static Entry entry(OfacStatusChanged change) {
    List<Evidence> evidence = new ArrayList<>();
    for (OfacEvidence e : change.getEvidence()) {
      evidence.add(
          new Evidence(
              e.getEntNum(),
              e.getSdnName(),
              e.getMatchedName(),
              e.getMatchedKind(),
              ComplianceHistories.nameSource(e), // which name, never the name
              e.getPrograms(),
              e.getScore(),
              e.getLapsed(),
              e.getHint(), // a kind of fact that would help, never the person's data
              ComplianceHistoryAnswers.tokens(e))); // the listed name's, never the person's
    }
    return new Entry(
        change.getUserId(),
        change.getStatus(),
        change.getOccurredAt().toString(),
        change.getReason(),
        change.getListVersion(),
        ComplianceHistories.matcherVersion(change.getMatcherVersion()),
        change.getScreeningVersion(),
        evidence);
  }
}
