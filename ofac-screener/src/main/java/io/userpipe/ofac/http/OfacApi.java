package io.userpipe.ofac.http;

import io.userpipe.ofac.list.ListFiles;
import io.userpipe.ofac.list.ListPublisher;
import io.userpipe.ofac.list.MalformedListException;
import io.userpipe.ofac.list.SdnType;
import io.userpipe.ofac.match.ProfileAgreement;
import io.userpipe.ofac.match.ScreeningIndex;
import io.userpipe.ofac.match.ScreeningQuery;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.FieldError;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.http.RateLimiter;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.runtime.operators.OperatorAuth;
import io.userpipe.schemas.OfacListVersion;
import io.userpipe.schemas.vocabulary.OfacHint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v2/ofac/search} (like Moov Watchman's search) and the operator's {@code POST
 * /admin/ofac/lists} that publishes a newer list from a path or URL.
 */
public final class OfacApi {
  private static final Logger log = LoggerFactory.getLogger(OfacApi.class);

  /**
   * One query's cost is bounded: the matcher compares every word of the query with candidate words,
   * so its work grows with the square of the words. No real name needs more than these.
   */
  static final int MAX_NAME_CHARS = 200;

  static final int MAX_NAME_TOKENS = 10;

  private final Supplier<ScreeningIndex> index;
  private final ListPublisher publisher;
  private final OperatorAuth operators;
  private final PlatformDirectory platforms;
  private final RateLimiter searches;
  private final double defaultMinMatch;

  /**
   * Searches a platform may make a second, on average, and in a burst, unless the operator sets
   * {@code OFAC_SEARCHES_PER_SECOND} and {@code OFAC_SEARCH_BURST}.
   */
  public static final int SEARCHES_PER_SECOND = 20;

  public static final int SEARCH_BURST = 40;

  public static final String OFAC_SEARCHES_PER_SECOND = "OFAC_SEARCHES_PER_SECOND";

  public static final String OFAC_SEARCH_BURST = "OFAC_SEARCH_BURST";

  public OfacApi(
      Supplier<ScreeningIndex> index,
      ListPublisher publisher,
      OperatorAuth operators,
      PlatformDirectory platforms,
      double minMatch,
      RateLimiter searches) {
    this.index = index;
    this.publisher = publisher;
    this.operators = operators;
    this.platforms = platforms;
    this.searches = searches;
    this.defaultMinMatch = minMatch;
  }

  public void mount(HttpService http) {
    http.route("GET", "/v2/ofac/search", this::search)
        .route("POST", "/admin/ofac/lists", this::load);
  }

  Response search(Request request) {
    // a platform's credentials, and its own share of the matcher: an anonymous flood of searches
    // once drove the whole stack into continuous full GCs
    String platformId = platforms.authenticate(request);
    searches.acquire(platformId, "/v2/ofac/search");
    ScreeningIndex current = current();
    List<FieldError> errors = new ArrayList<>();
    String name = request.query("name").orElse("").trim();
    if (name.isEmpty()) {
      errors.add(new FieldError("name", "is required"));
    } else if (name.length() > MAX_NAME_CHARS) {
      errors.add(
          new FieldError("name", "must be at most " + MAX_NAME_CHARS + " characters (the limit)"));
    } else if (name.split("[\\s,]+").length > MAX_NAME_TOKENS) {
      errors.add(
          new FieldError("name", "must be at most " + MAX_NAME_TOKENS + " words (the limit)"));
    }
    SdnType type = null;
    String rawType = request.query("type").orElse("").trim().toLowerCase(Locale.ROOT);
    if (!rawType.isEmpty()) {
      try {
        type = SdnType.valueOf(rawType.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("type", "must be individual, entity, vessel or aircraft"));
      }
    }
    String birthDate = request.query("birthDate").orElse(null);
    if (birthDate != null && !birthDate.matches("\\d{4}(-\\d{2}(-\\d{2})?)?")) {
      errors.add(new FieldError("birthDate", "must be yyyy, yyyy-MM or yyyy-MM-dd"));
    }
    double minMatch = number(request, "minMatch", defaultMinMatch, 0, 1, errors);
    int limit = (int) number(request, "limit", 10, 1, 100, errors);
    if (!errors.isEmpty()) {
      throw ApiException.invalidFields(errors);
    }
    var query = new ScreeningQuery(name, type, birthDate, request.query("country").orElse(null));
    var matches = current.search(query, minMatch, limit);
    return Response.ok(
        new OfacAnswers.Search(
            current.version(),
            current.list().label(),
            minMatch,
            matches.stream()
                .map(
                    m ->
                        OfacAnswers.Entity.of(
                            m,
                            // judged at the screening threshold, whatever min_match searched
                            ProfileAgreement.birthDateWouldDecide(query, m, defaultMinMatch)
                                ? OfacHint.DATE_OF_BIRTH_WOULD_HELP
                                : null))
                .toList()));
  }

  Response load(Request request) {
    String operatorId = operators.authenticate(request);
    String location = request.jsonObject().path("location").asText("").trim();
    if (location.isEmpty()) {
      throw ApiException.invalidField(
          "location", "a directory path or an http(s) base URL is required");
    }
    ListFiles files;
    try {
      files = ListFiles.from(location);
    } catch (IOException e) {
      throw ApiException.invalidField("location", "cannot be read: " + e.getMessage());
    }
    try {
      log.info("operator {} loads the OFAC list from {}", operatorId, location);
      OfacListVersion v = publisher.publish(files, location);
      return Response.of(
          201,
          new OfacAnswers.ListLoaded(v.getVersion(), v.getLabel(), v.getEntries(), v.getFiles()));
    } catch (MalformedListException e) {
      throw new ApiException(
          422,
          "malformed_list",
          e.getMessage() + "; the list in force is unchanged",
          List.of(new FieldError(e.file(), "line " + e.line())),
          Map.of());
    }
  }

  private ScreeningIndex current() {
    ScreeningIndex current = index.get();
    if (current == null) {
      throw new ApiException(
          503,
          "unavailable",
          "the OFAC list is still loading",
          List.of(),
          Map.of("Retry-After", "1"));
    }
    return current;
  }

  private static double number(
      Request request, String name, double dflt, double min, double max, List<FieldError> errors) {
    var raw = request.query(name);
    if (raw.isEmpty() || raw.get().isBlank()) {
      return dflt;
    }
    try {
      double v = Double.parseDouble(raw.get());
      if (v < min || v > max) {
        errors.add(new FieldError(name, "must be between " + min + " and " + max));
      }
      return v;
    } catch (NumberFormatException e) {
      errors.add(new FieldError(name, "must be a number"));
      return dflt;
    }
  }
}
