package io.userpipe.runtime.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON mapper of the HTTP layer: snake_case is spelled by the callers, dates as ISO-8601.
 */
public final class Json {

  /** Deeper JSON is refused: no request of the API nests more than a few levels. */
  public static final int MAX_DEPTH = 32;

  /** A longer string is refused (the body itself is at most 1 MiB). */
  public static final int MAX_STRING_CHARS = 256 * 1024;

  /** A longer number is refused: no field of the API is a number of more digits. */
  public static final int MAX_NUMBER_CHARS = 64;

  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              com.fasterxml.jackson.core.JsonFactory.builder()
                  .streamReadConstraints(
                      com.fasterxml.jackson.core.StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_DEPTH)
                          .maxStringLength(MAX_STRING_CHARS)
                          .maxNumberLength(MAX_NUMBER_CHARS)
                          .build())
                  .build())
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * A JSON object whose fields keep the order given ({@code Map.of} iterates in an order that
   * changes from one JVM to the next, so two instances would answer the same view differently).
   */
  public static java.util.Map<String, Object> object(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values come in pairs");
    }
    var json = new java.util.LinkedHashMap<String, Object>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      json.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return json;
  }
}
