package io.userpipe.projections.http;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.ComplianceChange;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v2/users/{id}/compliance/history}: a person's OFAC and TIN status changes, oldest
 * first, paged like the other lists ({@code limit}, {@code starting_after}, {@code ending_before});
 * with {@code as_of} (an ISO-8601 instant), the statuses in force then, each with the change that
 * set it. Scoped like {@code GET /v2/users/{id}}: 404 for a platform the person is not connected
 * to; a pending platform sees no history, as it sees no compliance block.
 */
public final class ComplianceHistoryApi {

  private final PlatformDirectory platforms;
  private final ViewQueries views;
  private final UserReader reader;

  public ComplianceHistoryApi(PlatformDirectory platforms, ViewQueries views, UserReader reader) {
    this.platforms = platforms;
    this.views = views;
    this.reader = reader;
  }

  public void mount(HttpService http) {
    http.route("GET", "/v2/users/{id}/compliance/history", this::history);
  }

  Response history(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    Optional<Instant> asOf = request.query("as_of").map(ComplianceHistoryApi::instant);
    int limit = Paging.limit(request);
    Optional<String> after = request.query("starting_after");
    Optional<String> before = request.query("ending_before");
    if (after.isPresent() && before.isPresent()) {
      throw ApiException.invalidField(
          "ending_before", "starting_after and ending_before cannot be used together");
    }
    SeenUser seen = reader.seenBy(reader.visibleTo(platformId, userId), platformId);
    // A connection from before connections had a time (since 0) sees everything, as it did.
    Instant since = seen.connection().getSince();
    if (Instant.EPOCH.equals(since)) {
      since = null;
    }
    List<ComplianceChange> changes =
        seen.pending()
            ? List.of()
            : ComplianceHistoryAnswers.visible(views.complianceHistory(userId).orElse(null), since);
    if (asOf.isPresent()) {
      return Response.ok(ComplianceHistoryAnswers.asOf(changes, asOf.get(), since));
    }
    return Response.ok(
        ComplianceHistoryAnswers.page(changes, limit, after.orElse(null), before.orElse(null)));
  }

  private static Instant instant(String raw) {
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      throw ApiException.invalidField(
          "as_of", "must be an ISO-8601 instant, e.g. 2026-03-03T00:00:00Z");
    }
  }
}
