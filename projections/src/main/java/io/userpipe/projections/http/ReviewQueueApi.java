package io.userpipe.projections.http;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    List<Map<String, Object>> data = new ArrayList<>();
    for (String userId : ids.subList(0, Math.min(limit, ids.size()))) {
      views.ofacStatus(userId).ifPresent(change -> data.add(entry(change)));
    }
    var body = new LinkedHashMap<String, Object>();
    body.put("data", data);
    body.put("has_more", ids.size() > limit);
    return Response.ok(body);
  }

  private static Map<String, Object> entry(OfacStatusChanged change) {
    var json = new LinkedHashMap<String, Object>();
    json.put("user_id", change.getUserId());
    json.put("ofac_status", change.getStatus());
    json.put("since", change.getOccurredAt().toString());
    json.put("reason", change.getReason());
    json.put("list_version", change.getListVersion());
    json.put("matcher_version", ComplianceHistories.matcherVersion(change.getMatcherVersion()));
    // The version of the case this entry shows: a review sends it back, and is refused as a
    // conflict if the case changed since (null for a case last changed before versions existed).
    json.put("screening_version", change.getScreeningVersion());
    List<Map<String, Object>> evidence = new ArrayList<>();
    for (OfacEvidence e : change.getEvidence()) {
      var m = new LinkedHashMap<String, Object>();
      m.put("ent_num", e.getEntNum());
      m.put("sdn_name", e.getSdnName());
      m.put("matched_name", e.getMatchedName());
      m.put("matched_kind", e.getMatchedKind());
      m.put("name_source", ComplianceHistories.nameSource(e)); // which name, never the name
      m.put("programs", e.getPrograms());
      m.put("score", e.getScore());
      m.put("lapsed", e.getLapsed());
      m.put("tokens", ComplianceHistoryAnswers.tokens(e)); // the listed name's, never the person's
      evidence.add(m);
    }
    json.put("evidence", evidence);
    return json;
  }
}
