package io.userpipe.projections.http;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.FieldError;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.Rejection;
import java.util.List;
import java.util.Map;

/** Maps a rejected command's stable code to its HTTP status and JSON error. */
final class Rejections {

  private static final Map<String, Integer> STATUS =
      Map.of(
          "invalid_field", 400,
          "not_found", 404,
          "conflict", 409,
          "forbidden", 403,
          "connection_pending", 403,
          "expired", 410,
          "locked", 429,
          "throttled", 429);

  private Rejections() {}

  static ApiException toApiException(CommandResult result) {
    Rejection r = result.getRejection();
    int status = STATUS.getOrDefault(r.getCode(), 400);
    List<FieldError> fields =
        r.getField() == null ? List.of() : List.of(new FieldError(r.getField(), r.getMessage()));
    String message = r.getField() == null ? r.getMessage() : r.getField() + ": " + r.getMessage();
    return new ApiException(status, r.getCode(), message, fields, Map.of());
  }
}
