package io.userpipe.runtime.http;

import io.userpipe.schemas.vocabulary.RejectionCode;
import java.util.List;
import java.util.Map;

/**
 * A request the API refuses, rendered as {@code {"error":{"code","message","fields"}}} with its
 * HTTP status. Thrown by handlers for client errors only; anything else is a bug and becomes 500.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final List<FieldError> fields;
  private final Map<String, String> headers;

  public ApiException(int status, String code, String message) {
    this(status, code, message, List.of(), Map.of());
  }

  public ApiException(
      int status,
      String code,
      String message,
      List<FieldError> fields,
      Map<String, String> headers) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = List.copyOf(fields);
    this.headers = Map.copyOf(headers);
  }

  /** 400 naming every bad field. */
  public static ApiException invalidFields(List<FieldError> fields) {
    String message =
        fields.size() == 1
            ? fields.get(0).field() + ": " + fields.get(0).reason()
            : fields.size() + " fields are invalid";
    var code = RejectionCode.INVALID_FIELD;
    return new ApiException(code.httpStatus(), code.wire(), message, fields, Map.of());
  }

  public static ApiException invalidField(String field, String reason) {
    return invalidFields(List.of(new FieldError(field, reason)));
  }

  public static ApiException notFound(String message) {
    return of(RejectionCode.NOT_FOUND, message);
  }

  /** The answer of a refusal with one of the commands' codes, at its HTTP status. */
  public static ApiException of(RejectionCode code, String message) {
    return new ApiException(code.httpStatus(), code.wire(), message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<FieldError> fields() {
    return fields;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** The JSON body. */
  public Map<String, Object> body() {
    var error = new java.util.LinkedHashMap<String, Object>();
    error.put("code", code);
    error.put("message", getMessage());
    if (!fields.isEmpty()) {
      error.put("fields", fields);
    }
    return Map.of("error", error);
  }
}
