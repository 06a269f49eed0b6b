package io.userpipe.projections.http;

import io.userpipe.projections.topology.ProjectionsTopology;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.vocabulary.RejectionCode;
import java.util.Set;

/**
 * What one projections instance serves the others: the entries and keys of the partitions it hosts
 * ({@code /internal/...}, behind the shared internal token), on its internal listener only, never
 * the public port. Never forwarded further.
 */
public final class InternalViewsApi {
  private static final Set<String> LISTABLE =
      Set.of(ProjectionsTopology.USERS_BY_PLATFORM, ProjectionsTopology.OFAC_REVIEW_QUEUE);

  private final ViewQueries views;
  private final RemoteViews remote;

  public InternalViewsApi(ViewQueries views, RemoteViews remote) {
    this.views = views;
    this.remote = remote;
  }

  public void mount(HttpService http) {
    http.route("GET", "/internal/views/{store}/{key}", this::entry)
        .route("GET", "/internal/keys/{store}", this::keys);
  }

  private void check(Request request) {
    if (!remote.accepts(request.header(RemoteViews.HEADER).orElse(null))) {
      throw ApiException.of(RejectionCode.FORBIDDEN, "internal endpoint");
    }
  }

  Response entry(Request request) {
    check(request);
    String store = request.pathParam("store");
    if (!ViewCodecs.servable(store)) {
      throw ApiException.notFound("no view " + store);
    }
    return views
        .getLocal(store, request.pathParam("key"))
        .map(v -> Response.raw(200, "application/octet-stream", ViewCodecs.encode(store, v)))
        .orElseThrow(
            () ->
                new ApiException(
                    RejectionCode.NOT_FOUND.httpStatus(),
                    RejectionCode.NOT_FOUND.wire(),
                    "no entry",
                    java.util.List.of(),
                    java.util.Map.of(RemoteViews.NO_ENTRY_HEADER, "true")));
  }

  Response keys(Request request) {
    check(request);
    String store = request.pathParam("store");
    if (!LISTABLE.contains(store)) {
      throw ApiException.notFound("no index " + store);
    }
    int limit = Integer.parseInt(request.query("limit").orElse("100"));
    var local =
        views.localKeysBetween(
            store,
            request.query("from").orElse(""),
            request.query("to").orElse("\uffff"),
            Math.min(limit, 1000),
            Boolean.parseBoolean(request.query("descending").orElse("false")));
    return Response.ok(local.keys());
  }
}
