package io.userpipe.local;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The served OpenAPI document ({@code projections/.../http/openapi.yaml}) as a contract: every
 * answer an end-to-end test receives through {@link ApiClient} is validated against it by
 * Atlassian's swagger-request-validator, so the document cannot drift from the service.
 */
final class OpenApiContract {

  static final String RESOURCE = "/io/userpipe/projections/http/openapi.yaml";

  /** Built on first use, so that a document that does not load fails the tests that use it. */
  private static final class Holder {
    static final OpenApiInteractionValidator VALIDATOR =
        OpenApiInteractionValidator.createForInlineApiSpecification(document()).build();
    static final io.swagger.v3.oas.models.OpenAPI API =
        new io.swagger.v3.parser.OpenAPIV3Parser().readContents(document()).getOpenAPI();
    static final com.atlassian.oai.validator.schema.SchemaValidator SCHEMAS =
        new com.atlassian.oai.validator.schema.SchemaValidator(
            API, new com.atlassian.oai.validator.report.MessageResolver());
  }

  /** What the router answers for a path or a method the document has not: 404 or 405. */
  private static final java.util.Set<String> UNROUTED =
      java.util.Set.of(
          "validation.request.operation.notAllowed", "validation.request.path.missing");

  private OpenApiContract() {}

  static String document() {
    try (InputStream in = OpenApiContract.class.getResourceAsStream(RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Throws an AssertionError naming every way the answer departs from the document. */
  static void assertDescribed(String method, URI uri, int status, String contentType, String body) {
    var response = SimpleResponse.Builder.status(status);
    if (contentType != null && !contentType.isEmpty()) {
      response.withContentType(contentType);
    }
    if (body != null && !body.isEmpty()) {
      response.withBody(body);
    }
    ValidationReport report =
        Holder.VALIDATOR.validateResponse(
            uri.getRawPath(),
            Request.Method.valueOf(method.toUpperCase(Locale.ROOT)),
            response.build());
    if (report.hasErrors()
        && report.getMessages().stream().allMatch(m -> UNROUTED.contains(m.getKey()))) {
      // a request the document does not describe: the router's 404 or 405, in the Error shape
      if (status != 404 && status != 405) {
        throw new AssertionError(
            method + " " + uri.getRawPath() + " is not in openapi.yaml but answered " + status);
      }
      report =
          Holder.SCHEMAS.validate(
              body, Holder.API.getComponents().getSchemas().get("Error"), "error");
    }
    if (report.hasErrors()) {
      var b = new StringBuilder("the answer departs from openapi.yaml: ");
      b.append(method).append(' ').append(uri.getRawPath()).append(" -> ").append(status);
      for (var m : report.getMessages()) {
        b.append("\n  ").append(m.getKey()).append(": ").append(m.getMessage());
      }
      b.append("\n  body: ")
          .append(body == null ? "" : body.substring(0, Math.min(2000, body.length())));
      throw new AssertionError(b.toString());
    }
  }
}
