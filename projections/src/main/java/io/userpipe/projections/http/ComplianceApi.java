package io.userpipe.projections.http;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.Json;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.Address;
import io.userpipe.schemas.OfacCommand;
import io.userpipe.schemas.SubmitCompliance;
import io.userpipe.schemas.SubmitIdVerification;
import io.userpipe.schemas.W8BenSubmission;
import io.userpipe.schemas.W9Submission;
import io.userpipe.schemas.vocabulary.OfacStatus;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * A user's compliance: the tax forms (a W-9, whose TIN is sealed here before it reaches Kafka, or a
 * W-8BEN) and the completed ID verification that an OFAC match asks for.
 */
final class ComplianceApi {

  private final PlatformDirectory platforms;
  private final CommandAnswers answers;
  private final CommandGateway commands;
  private final UserReader reader;
  private final CommandSecrets secrets;
  private final Clock clock;

  ComplianceApi(
      PlatformDirectory platforms,
      CommandAnswers answers,
      CommandGateway commands,
      UserReader reader,
      CommandSecrets secrets,
      Clock clock) {
    this.platforms = platforms;
    this.answers = answers;
    this.commands = commands;
    this.reader = reader;
    this.secrets = secrets;
    this.clock = clock;
  }

  void mount(HttpService http) {
    http.route("PUT", "/v2/users/{id}/compliance", this::submitCompliance)
        .route("POST", "/v2/users/{id}/compliance", this::submitCompliance)
        .route("POST", "/v2/users/{id}/id-verification", this::submitIdVerification);
  }

  /** A W-9 (whose TIN is sealed here, before it reaches Kafka) or a W-8BEN. */
  Response submitCompliance(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    var fields = new JsonFields(request.jsonObject());
    String commandId = CommandAnswers.commandId(platformId, request, fields);
    JsonFields w9 = fields.optionalObject("w9");
    JsonFields w8 = fields.optionalObject("w8ben");
    W9Submission w9Form = w9 == null ? null : w9(w9, commandId);
    W8BenSubmission w8Form = w8 == null ? null : w8ben(w8, commandId);
    fields.check();
    if ((w9Form == null) == (w8Form == null)) {
      throw ApiException.invalidField("w9", "submit exactly one of w9 and w8ben");
    }
    var payload = new SubmitCompliance(w9Form, w8Form);
    var outcome = commands.submit(userId, answers.envelope(commandId, platformId, userId, payload));
    // a form's names are screened (issue 18): its answer shows the status after that screening
    boolean rescreened = !answers.firstVerdictWait().isZero();
    return CommandAnswers.answerLater(
        outcome,
        user ->
            (rescreened ? answers.withRescreening(user) : CompletableFuture.completedFuture(user))
                .thenApply(u -> answers.rendered(u, platformId)));
  }

  private W9Submission w9(JsonFields w9, String commandId) {
    String entityType = w9.requiredString("entity_type");
    String firstName = w9.optionalString("first_name");
    String lastName = w9.optionalString("last_name");
    String businessName = w9.optionalString("business_name");
    String dateOfBirth = w9.optionalString("date_of_birth");
    String tin = w9.requiredString("tin");
    String tinType = w9.optionalString("tin_type");
    Address address = address(w9.optionalObject("address"));
    if (entityType == null || tin == null) {
      return null; // reported by check()
    }
    return new W9Submission(
        entityType,
        firstName,
        lastName,
        businessName,
        dateOfBirth,
        secrets.sealTin(commandId, tin),
        tinType,
        address);
  }

  /**
   * Dots' W-8BEN. Kept: name, citizenship_country, date_of_birth, foreign_tax_id (sealed here),
   * tax_treaty_country, tax_treaty_citation, tax_treaty_rate, address, signature.name and
   * signature.consent. Accepted and not kept (docs/API.md): tin, tax_treaty_income_type,
   * tax_treaty_explanation, signature.email.
   */
  private W8BenSubmission w8ben(JsonFields w8, String commandId) {
    String name = w8.requiredString("name");
    String citizenship = w8.requiredString("citizenship_country");
    String dateOfBirth = w8.optionalString("date_of_birth");
    w8.optionalString("tin"); // shape only: a US TIN on a W-8BEN is not kept
    String foreignTaxId = w8.optionalString("foreign_tax_id");
    String treatyCountry = w8.optionalString("tax_treaty_country");
    String treatyArticle = w8.optionalString("tax_treaty_citation");
    Double rate = w8.optionalNumber("tax_treaty_rate");
    w8.optionalString("tax_treaty_income_type");
    w8.optionalString("tax_treaty_explanation");
    Address address = address(w8.optionalObject("address"));
    JsonFields signature = w8.requiredObject("signature");
    String signatureName = signature == null ? null : signature.requiredString("name");
    boolean consent = signature != null && signature.optionalBoolean("consent", false);
    if (signature != null) {
      signature.optionalString("email");
    }
    if (name == null || citizenship == null || signatureName == null) {
      return null; // reported by check()
    }
    return new W8BenSubmission(
        name,
        citizenship,
        dateOfBirth,
        foreignTaxId == null ? null : secrets.sealForeignTaxId(commandId, foreignTaxId),
        treatyCountry,
        treatyArticle,
        rate == null ? null : java.math.BigDecimal.valueOf(rate).toPlainString(),
        address,
        signatureName,
        consent);
  }

  private static Address address(JsonFields a) {
    if (a == null) {
      return null;
    }
    String line1 = a.requiredString("line_1");
    String line2 = a.optionalString("line_2");
    String city = a.requiredString("city");
    String state = a.optionalString("state");
    String postcode = a.requiredString("postcode");
    String country = a.requiredString("country");
    if (line1 == null || city == null || postcode == null || country == null) {
      return null;
    }
    return new Address(line1, line2, city, state, postcode, country);
  }

  /** The user completed ID verification (POST /v2/users/{id}/id-verification). */
  Response submitIdVerification(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    var fields =
        new JsonFields(
            request.body().length == 0 ? Json.mapper().createObjectNode() : request.jsonObject());
    String provider = fields.optionalString("provider");
    String reference = fields.optionalString("reference");
    String commandId = CommandAnswers.commandId(platformId, request, fields);
    fields.check();
    answers.connectedTo(platformId, userId);
    var command =
        OfacCommand.newBuilder()
            .setCommandId(commandId)
            .setUserId(userId)
            .setPlatformId(platformId)
            .setIssuedAt(clock.instant())
            .setPayload(new SubmitIdVerification(provider, reference))
            .build();
    return answers.answerOfac(
        commands.submit(command),
        userId,
        OfacStatus.IN_REVIEW.wire(),
        u -> UserJson.render(reader.seenBy(u, platformId)));
  }
}
