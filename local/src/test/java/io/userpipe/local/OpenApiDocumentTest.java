package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.schema.SchemaValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.userpipe.runtime.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is whole and right: it parses without a message, every example in it is
 * valid against its own schema, and every route the service mounts is described.
 */
class OpenApiDocumentTest {

  private static OpenAPI parsed(List<String> messages) {
    var options = new ParseOptions();
    options.setResolve(true);
    var result = new OpenAPIV3Parser().readContents(OpenApiContract.document(), null, options);
    if (result.getMessages() != null) {
      messages.addAll(result.getMessages());
    }
    return result.getOpenAPI();
  }

  @Test
  void theDocumentParsesWithoutAMessage() {
    var messages = new ArrayList<String>();
    parsed(messages);
    assertEquals(List.of(), messages);
  }

  @Test
  void everyDocumentedExampleIsValidAgainstItsSchema() throws Exception {
    OpenAPI api = parsed(new ArrayList<>());
    var validator = new SchemaValidator(api, new MessageResolver());
    int checked = 0;
    var failures = new ArrayList<String>();
    var examples = new ArrayList<Map.Entry<String, Schema>>();
    api.getComponents().getSchemas().forEach((name, schema) -> examples(name, schema, examples));
    api.getComponents()
        .getParameters()
        .forEach((name, p) -> examples("parameter " + name, p.getSchema(), examples));
    api.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (method, op) -> {
                          if (op.getParameters() != null) {
                            op.getParameters()
                                .forEach(
                                    p ->
                                        examples(
                                            method + " " + path + " " + p.getName(),
                                            p.getSchema(),
                                            examples));
                          }
                          if (op.getRequestBody() != null
                              && op.getRequestBody().getContent() != null) {
                            op.getRequestBody()
                                .getContent()
                                .forEach(
                                    (type, media) ->
                                        examples(
                                            method + " " + path + " body",
                                            media.getSchema(),
                                            examples));
                          }
                        }));
    for (Map.Entry<String, Schema> e : examples) {
      String json = Json.mapper().writeValueAsString(e.getValue().getExample());
      var report = validator.validate(json, e.getValue(), e.getKey());
      if (report.hasErrors()) {
        failures.add(e.getKey() + ": " + report.getMessages());
      }
      checked++;
    }
    assertEquals(List.of(), failures);
    assertTrue(checked >= 20, "only " + checked + " examples");
  }

  /** Every schema with an example, at any depth (properties, items, compositions). */
  private static void examples(
      String where, Schema<?> schema, List<Map.Entry<String, Schema>> found) {
    if (schema == null) {
      return;
    }
    if (schema.getExample() != null) {
      found.add(Map.entry(where, schema));
    }
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, p) -> examples(where + "." + name, p, found));
    }
    if (schema.getItems() != null) {
      examples(where + "[]", schema.getItems(), found);
    }
    for (List<Schema> composed :
        schema instanceof io.swagger.v3.oas.models.media.ComposedSchema c
            ? java.util.Arrays.asList(c.getAllOf(), c.getOneOf(), c.getAnyOf())
            : List.<List<Schema>>of()) {
      if (composed != null) {
        composed.forEach(part -> examples(where, part, found));
      }
    }
  }

  @Test
  void everyMountedRouteIsDescribed() {
    OpenAPI api = parsed(new ArrayList<>());
    var described = new TreeSet<String>();
    api.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .keySet()
                    .forEach(
                        method -> described.add(method + " " + path.replace("{method}", "{id}"))));
    var missing = new TreeSet<String>();
    for (String route : MOUNTED) {
      if (!described.contains(route)) {
        missing.add(route);
      }
    }
    assertEquals(new TreeSet<String>(), missing, "described: " + described);
  }

  /** Every route that PlatformApi, the operators' APIs, the screener and the runtime mount. */
  static final List<String> MOUNTED =
      List.of(
          "POST /v2/users",
          "GET /v2/users",
          "GET /v2/users/{id}",
          "PATCH /v2/users/{id}",
          "PUT /v2/users/{id}",
          "DELETE /v2/users/{id}",
          "PUT /v2/users/{id}/compliance",
          "POST /v2/users/{id}/compliance",
          "GET /v2/users/{id}/compliance/history",
          "POST /v2/users/{id}/id-verification",
          "POST /v2/users/{id}/send-verification-token",
          "POST /v2/users/{id}/verify",
          "PUT /v2/users/{id}/payout-methods",
          "GET /v2/users/{id}/payout-methods",
          "DELETE /v2/users/{id}/payout-methods/{id}",
          "GET /v2/commands/{id}",
          "GET /v2/ofac/search",
          "POST /v2/webhooks",
          "GET /v2/webhooks",
          "GET /v2/webhooks/{id}",
          "PATCH /v2/webhooks/{id}",
          "DELETE /v2/webhooks/{id}",
          "POST /v2/webhooks/{id}/rotate-secret",
          "POST /v2/webhooks/{id}/test",
          "GET /v2/webhooks/{id}/failed",
          "POST /v2/webhooks/{id}/replay",
          "POST /admin/users/{id}/ofac-review",
          "POST /admin/users/{id}/erasure",
          "GET /admin/ofac/review-queue",
          "POST /admin/ofac/lists",
          "GET /health",
          "GET /ready",
          "GET /metrics",
          "GET /openapi.yaml",
          "GET /internal/views/{store}/{key}",
          "GET /internal/keys/{store}");
}
