package io.userpipe.projections.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the fields of a JSON body and collects every shape error (missing, wrong type), so one 400
 * names all the bad fields at once. The meaning of a value (is the email valid, is the phone
 * possible) is decided by the command service, not here.
 */
final class JsonFields {

  private final JsonNode body;
  private final String prefix;
  private final List<FieldError> errors;

  JsonFields(JsonNode body) {
    this(body, "", new ArrayList<>());
  }

  private JsonFields(JsonNode body, String prefix, List<FieldError> errors) {
    this.body = body;
    this.prefix = prefix;
    this.errors = errors;
  }

  /** The fields of a nested object (errors named {@code parent.child}), or null when absent. */
  JsonFields optionalObject(String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      errors.add(new FieldError(prefix + field, "must be an object"));
      return null;
    }
    return new JsonFields(node, prefix + field + ".", errors);
  }

  /** The fields of a nested object that must be there; null (and an error) when it is not. */
  JsonFields requiredObject(String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      errors.add(new FieldError(prefix + field, "is required"));
      return null;
    }
    return optionalObject(field);
  }

  boolean optionalBoolean(String field, boolean dflt) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return dflt;
    }
    if (!node.isBoolean()) {
      errors.add(new FieldError(prefix + field, "must be true or false"));
      return dflt;
    }
    return node.asBoolean();
  }

  /** A whole number that may be left out (null then). */
  Long optionalLong(String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      errors.add(new FieldError(prefix + field, "must be a whole number"));
      return null;
    }
    return node.asLong();
  }

  String requiredString(String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      errors.add(new FieldError(prefix + field, "is required"));
      return null;
    }
    return string(field, node);
  }

  String optionalString(String field) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? null : string(field, node);
  }

  Map<String, String> optionalStringMap(String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      errors.add(new FieldError(prefix + field, "must be an object of strings"));
      return null;
    }
    var map = new LinkedHashMap<String, String>();
    node.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isTextual()) {
                map.put(e.getKey(), e.getValue().asText());
              } else {
                errors.add(new FieldError(prefix + field + "." + e.getKey(), "must be a string"));
              }
            });
    return map;
  }

  /**
   * Dots' {@code metadata}: a string, an object of strings, or null. A string is kept as a map with
   * the one key {@link UserJson#STRING_METADATA_KEY}, which an object may therefore not use.
   */
  Map<String, String> optionalMetadata(String field) {
    JsonNode node = body.get(field);
    if (node != null && node.isTextual()) {
      return Map.of(UserJson.STRING_METADATA_KEY, node.asText());
    }
    if (node != null && node.isObject() && node.has(UserJson.STRING_METADATA_KEY)) {
      errors.add(new FieldError(prefix + field, "a key must not be empty"));
      return null;
    }
    if (node != null && !node.isNull() && !node.isObject()) {
      errors.add(new FieldError(prefix + field, "must be a string or an object of strings"));
      return null;
    }
    return optionalStringMap(field);
  }

  /** A number that may be left out (null then). */
  Double optionalNumber(String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      errors.add(new FieldError(prefix + field, "must be a number"));
      return null;
    }
    return node.asDouble();
  }

  /** Throws the 400 naming every bad field, if any. */
  void check() {
    if (!errors.isEmpty()) {
      throw ApiException.invalidFields(errors);
    }
  }

  private String string(String field, JsonNode node) {
    if (!node.isTextual()) {
      errors.add(new FieldError(prefix + field, "must be a string"));
      return null;
    }
    return node.asText();
  }
}
