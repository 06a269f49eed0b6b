package io.userpipe.projections.http;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.Request;
import java.util.Optional;

/** Cursor pagination's page size, the same for every list of the public API. */
final class Paging {

  static final int MAX_LIMIT = 100;
  static final int DEFAULT_LIMIT = 10;

  private Paging() {}

  /**
   * The {@code limit} query parameter, 1 to {@link #MAX_LIMIT}; {@link #DEFAULT_LIMIT} if absent.
   */
  static int limit(Request request) {
    return limit(request, DEFAULT_LIMIT);
  }

  /** The {@code limit} query parameter, 1 to {@link #MAX_LIMIT}; {@code byDefault} if absent. */
  static int limit(Request request, int byDefault) {
    Optional<String> raw = request.query("limit");
    if (raw.isEmpty()) {
      return byDefault;
    }
    try {
      int limit = Integer.parseInt(raw.get());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw ApiException.invalidField("limit", "must be a whole number from 1 to " + MAX_LIMIT);
  }
}
