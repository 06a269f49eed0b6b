package io.userpipe.projections.http;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.FieldError;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.Rejection;
import io.userpipe.schemas.vocabulary.RejectionCode;
import java.util.List;
import java.util.Map;

/** Maps a rejected command's stable code to its HTTP status and JSON error. */
final class Rejections {

  private Rejections() {}

  static ApiException toApiException(CommandResult result) {
    Rejection r = result.getRejection();
    // a code this version does not know (a newer service's) is still the caller's fault
    int status = RejectionCode.of(r.getCode()).map(RejectionCode::httpStatus).orElse(400);
    List<FieldError> fields =
        r.getField() == null ? List.of() : List.of(new FieldError(r.getField(), r.getMessage()));
    String message = r.getField() == null ? r.getMessage() : r.getField() + ": " + r.getMessage();
    return new ApiException(status, r.getCode(), message, fields, Map.of());
  }
}
