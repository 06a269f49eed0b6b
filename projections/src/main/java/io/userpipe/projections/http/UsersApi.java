package io.userpipe.projections.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.projections.view.PlatformIndex;
import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.Json;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.AddPayoutMethod;
import io.userpipe.schemas.Address;
import io.userpipe.schemas.CommandIds;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.DeleteUser;
import io.userpipe.schemas.OfacCommand;
import io.userpipe.schemas.PayoutMethodIds;
import io.userpipe.schemas.RemovePayoutMethod;
import io.userpipe.schemas.SendVerificationToken;
import io.userpipe.schemas.SubmitCompliance;
import io.userpipe.schemas.SubmitIdVerification;
import io.userpipe.schemas.UpdateUser;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.UserView;
import io.userpipe.schemas.VerifyUser;
import io.userpipe.schemas.W8BenSubmission;
import io.userpipe.schemas.W9Submission;
import io.userpipe.schemas.vocabulary.OfacStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The public /v2 users API: every write becomes a command and waits for its result (and for the
 * view to show it); every read comes from the views. A platform sees only the users connected to
 * it; the others answer 404, so ids do not leak.
 */
public final class UsersApi {

  static final int MAX_LIMIT = 100;
  static final int DEFAULT_LIMIT = 10;
  static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

  private final PlatformDirectory platforms;
  private final CommandGateway commands;
  private final ViewQueries views;
  private final UserReader reader;
  private final CommandSecrets secrets;
  private final Duration firstVerdictWait;
  private final Clock clock;

  public UsersApi(
      PlatformDirectory platforms,
      CommandGateway commands,
      ViewQueries views,
      UserReader reader,
      CommandSecrets secrets,
      Duration firstVerdictWait,
      Clock clock) {
    this.platforms = platforms;
    this.commands = commands;
    this.views = views;
    this.reader = reader;
    this.secrets = secrets;
    this.firstVerdictWait = firstVerdictWait;
    this.clock = clock;
  }

  public void mount(HttpService http) {
    http.route("POST", "/v2/users", this::createUser)
        .route("GET", "/v2/users", this::listUsers)
        .route("GET", "/v2/users/{id}", this::getUser)
        .route("PATCH", "/v2/users/{id}", this::updateUser)
        .route("PUT", "/v2/users/{id}", this::updateUser)
        .route("DELETE", "/v2/users/{id}", this::deleteUser)
        .route("POST", "/v2/users/{id}/send-verification-token", this::sendVerificationToken)
        .route("POST", "/v2/users/{id}/verify", this::verifyUser)
        .route("PUT", "/v2/users/{id}/compliance", this::submitCompliance)
        .route("POST", "/v2/users/{id}/compliance", this::submitCompliance)
        .route("POST", "/v2/users/{id}/id-verification", this::submitIdVerification)
        .route("POST", "/v2/users/{id}/payout-methods", this::addPayoutMethod)
        .route("GET", "/v2/users/{id}/payout-methods", this::listPayoutMethods)
        .route("DELETE", "/v2/users/{id}/payout-methods/{method}", this::removePayoutMethod)
        .route("GET", "/v2/commands/{id}", this::getCommand)
        .route("GET", "/openapi.yaml", request -> openApi());
  }

  private static Response openApi() throws java.io.IOException {
    try (var in = UsersApi.class.getResourceAsStream("openapi.yaml")) {
      return Response.raw(200, "application/yaml", in.readAllBytes());
    }
  }

  Response createUser(Request request) {
    String platformId = platforms.authenticate(request);
    JsonNode body = request.jsonObject();
    var fields = new JsonFields(body);
    String firstName = fields.requiredString("first_name");
    String lastName = fields.requiredString("last_name");
    String email = fields.requiredString("email");
    String countryCode = fields.requiredString("country_code");
    String phoneNumber = fields.requiredString("phone_number");
    String username = fields.optionalString("username");
    String dateOfBirth = fields.optionalString("date_of_birth");
    Map<String, String> metadata = fields.optionalStringMap("metadata");
    String commandId = commandId(platformId, request, fields);
    fields.check();
    var payload =
        new CreateUser(
            firstName,
            lastName,
            email,
            countryCode,
            phoneNumber,
            username,
            dateOfBirth,
            metadata == null ? Map.of() : metadata);
    // Keyed by the plain E.164 spelling; the command service re-keys the rare number whose
    // normalized form differs (a national trunk prefix), so this is an optimisation, not a rule.
    String key = "+" + countryCode + phoneNumber;
    var outcome = commands.submit(key, envelope(commandId, platformId, null, payload));
    return answer(outcome, user -> rendered(withFirstVerdict(user), platformId));
  }

  Response updateUser(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    var fields = new JsonFields(request.jsonObject());
    var payload =
        new UpdateUser(
            fields.optionalString("first_name"),
            fields.optionalString("last_name"),
            fields.optionalString("email"),
            fields.optionalString("date_of_birth"),
            fields.optionalStringMap("metadata"),
            fields.optionalString("default_payout_method"));
    String commandId = commandId(platformId, request, fields);
    fields.check();
    boolean rescreened = changesScreenedProfile(userId, payload);
    var outcome = commands.submit(userId, envelope(commandId, platformId, userId, payload));
    return answer(outcome, user -> rendered(rescreened ? withRescreening(user) : user, platformId));
  }

  /**
   * Whether an update changes what ofac-screener screens (the name or date of birth), as the view
   * has it now: such an update's answer waits for its re-screening. A user the view does not have
   * is the command's business (its rejection answers).
   */
  private boolean changesScreenedProfile(String userId, UpdateUser update) {
    if (firstVerdictWait.isZero()
        || (update.getFirstName() == null
            && update.getLastName() == null
            && update.getDateOfBirth() == null)) {
      return false;
    }
    var user = reader.read(userId);
    if (user.isEmpty() || user.get().profile() == null) {
      return false;
    }
    var p = user.get().profile();
    return differs(update.getFirstName(), p.getFirstName())
        || differs(update.getLastName(), p.getLastName())
        || differs(update.getDateOfBirth(), p.getDateOfBirth());
  }

  private static boolean differs(String asked, String held) {
    return asked != null && !asked.equals(held);
  }

  /**
   * A write's answer reflects its screening, as the create's does: after a change of the name or
   * date of birth, or a tax form (whose names are screened too), the answer waits (bounded by
   * {@code OFAC_FIRST_VERDICT_WAIT}) until ofac-screener screened the user's new version.
   * ofac-screener records every such screening, changed outcome or not, so the wait ends as soon as
   * it has screened.
   */
  private UserReader.ReadableUser withRescreening(UserReader.ReadableUser user) {
    long version = user.view().getVersion();
    Long screened = user.view().getCompliance().getOfacScreenedVersion();
    if (screened != null && screened >= version) {
      return user;
    }
    return commands
        .awaitUser(
            user.view().getId(),
            v -> {
              Long s = v.getCompliance().getOfacScreenedVersion();
              return s != null && s >= version;
            },
            firstVerdictWait)
        .orElse(user);
  }

  Response deleteUser(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    String commandId = commandId(platformId, request, null);
    var outcome =
        commands.submit(userId, envelope(commandId, platformId, userId, new DeleteUser()));
    return answer(outcome, user -> Response.ok(Json.object("id", userId, "deleted", true)));
  }

  Response sendVerificationToken(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    String commandId = commandId(platformId, request, null);
    var outcome =
        commands.submit(
            userId, envelope(commandId, platformId, userId, new SendVerificationToken()));
    return answer(
        outcome,
        user -> Response.of(202, Json.object("id", userId, "message", "verification token sent")));
  }

  Response verifyUser(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    var fields = new JsonFields(request.jsonObject());
    String token = fields.requiredString("token");
    String commandId = commandId(platformId, request, fields);
    fields.check();
    // The code never travels in the clear: sealed here, bound to this one command.
    var payload = new VerifyUser(secrets.sealCode(commandId, token));
    var outcome = commands.submit(userId, envelope(commandId, platformId, userId, payload));
    return answer(outcome, user -> rendered(user, platformId));
  }

  /** A W-9 (whose TIN is sealed here, before it reaches Kafka) or a W-8BEN. */
  Response submitCompliance(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    var fields = new JsonFields(request.jsonObject());
    String commandId = commandId(platformId, request, fields);
    JsonFields w9 = fields.optionalObject("w9");
    JsonFields w8 = fields.optionalObject("w8ben");
    W9Submission w9Form = w9 == null ? null : w9(w9, commandId);
    W8BenSubmission w8Form = w8 == null ? null : w8ben(w8, commandId);
    fields.check();
    if ((w9Form == null) == (w8Form == null)) {
      throw ApiException.invalidField("w9", "submit exactly one of w9 and w8ben");
    }
    var payload = new SubmitCompliance(w9Form, w8Form);
    var outcome = commands.submit(userId, envelope(commandId, platformId, userId, payload));
    // a form's names are screened (issue 18): its answer shows the status after that screening
    boolean rescreened = !firstVerdictWait.isZero();
    return answer(outcome, user -> rendered(rescreened ? withRescreening(user) : user, platformId));
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

  private W8BenSubmission w8ben(JsonFields w8, String commandId) {
    String name = w8.requiredString("name");
    String citizenship = w8.requiredString("citizenship_country");
    String dateOfBirth = w8.optionalString("date_of_birth");
    String foreignTaxId = w8.optionalString("foreign_tax_id");
    String treatyCountry = w8.optionalString("treaty_country");
    String treatyArticle = w8.optionalString("treaty_article");
    String withholdingRate = w8.optionalString("withholding_rate");
    Address address = address(w8.optionalObject("address"));
    String signatureName = w8.requiredString("signature_name");
    boolean consent = w8.optionalBoolean("signature_consent", false);
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
        withholdingRate,
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

  /**
   * Adds a payout method: {@code {"type":"ach","ach":{routing_number, account_number,
   * account_type}}}, or {@code paypal {email}}, {@code venmo {phone_number}}, {@code cash_app
   * {cashtag}}. The account number is sealed here, before it reaches Kafka.
   */
  Response addPayoutMethod(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    var fields = new JsonFields(request.jsonObject());
    String commandId = commandId(platformId, request, fields);
    String type = fields.requiredString("type");
    var payload = AddPayoutMethod.newBuilder().setKind(type == null ? "" : type);
    if (type != null) {
      switch (type) {
        case "ach" -> {
          JsonFields ach = fields.requiredObject("ach");
          if (ach != null) {
            String account = ach.requiredString("account_number");
            payload
                .setRoutingNumber(ach.requiredString("routing_number"))
                .setAccountNumber(
                    account == null ? null : secrets.sealAccountNumber(commandId, account))
                .setAccountType(ach.requiredString("account_type"));
          }
        }
        case "paypal" -> {
          JsonFields paypal = fields.requiredObject("paypal");
          if (paypal != null) {
            payload.setEmail(paypal.requiredString("email"));
          }
        }
        case "venmo" -> {
          JsonFields venmo = fields.requiredObject("venmo");
          if (venmo != null) {
            payload.setPhone(venmo.requiredString("phone_number"));
          }
        }
        case "cash_app" -> {
          JsonFields cashApp = fields.requiredObject("cash_app");
          if (cashApp != null) {
            payload.setCashtag(cashApp.requiredString("cashtag"));
          }
        }
        default ->
            throw ApiException.invalidField("type", "must be ach, paypal, venmo or cash_app");
      }
    }
    fields.check();
    var outcome = commands.submit(userId, envelope(commandId, platformId, userId, payload.build()));
    String methodId = PayoutMethodIds.of(commandId);
    return answer(
        outcome,
        user ->
            user.view().getPayoutMethods().stream()
                .filter(m -> m.getId().equals(methodId))
                .findFirst()
                .map(
                    m ->
                        Response.of(
                            201, UserJson.payoutMethod(m, user.view().getDefaultPayoutMethod())))
                .orElseThrow(() -> ApiException.notFound("no payout method " + methodId)));
  }

  Response listPayoutMethods(Request request) {
    String platformId = platforms.authenticate(request);
    UserReader.ReadableUser user = visibleUser(platformId, request.pathParam("id"));
    UserView view = user.view();
    var data = new ArrayList<Map<String, Object>>();
    if (!reader.seenBy(user, platformId).pending()) { // a pending platform sees none
      view.getPayoutMethods()
          .forEach(m -> data.add(UserJson.payoutMethod(m, view.getDefaultPayoutMethod())));
    }
    return Response.ok(Map.of("data", data));
  }

  Response removePayoutMethod(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    String methodId = request.pathParam("method");
    String commandId = commandId(platformId, request, null);
    var outcome =
        commands.submit(
            userId, envelope(commandId, platformId, userId, new RemovePayoutMethod(methodId)));
    return answer(outcome, user -> Response.ok(Json.object("id", methodId, "deleted", true)));
  }

  Response getUser(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    return rendered(visibleUser(platformId, userId), platformId);
  }

  /**
   * Cursor pagination, newest first: {@code limit}, {@code starting_after}, {@code ending_before}.
   */
  Response listUsers(Request request) {
    String platformId = platforms.authenticate(request);
    int limit = limit(request);
    Optional<String> after = request.query("starting_after");
    Optional<String> before = request.query("ending_before");
    if (after.isPresent() && before.isPresent()) {
      throw ApiException.invalidField(
          "ending_before", "starting_after and ending_before cannot be used together");
    }
    List<String> keys;
    if (before.isPresent()) {
      String cursor = PlatformIndex.key(platformId, visibleUser(platformId, before.get()).view());
      keys =
          new ArrayList<>(
              views.platformIndex(PlatformIndex.prefix(platformId), cursor, limit + 1, true));
      boolean hasMore = keys.size() > limit;
      keys = new ArrayList<>(keys.subList(0, Math.min(limit, keys.size())));
      Collections.reverse(keys);
      return page(keys, hasMore, platformId);
    }
    String from =
        after.isPresent()
            ? PlatformIndex.key(platformId, visibleUser(platformId, after.get()).view())
            : PlatformIndex.prefix(platformId);
    keys = views.platformIndex(from, PlatformIndex.end(platformId), limit + 1, false);
    return page(keys.subList(0, Math.min(limit, keys.size())), keys.size() > limit, platformId);
  }

  private Response page(List<String> keys, boolean hasMore, String platformId) {
    var data = new ArrayList<Map<String, Object>>();
    for (String key : keys) {
      reader
          .read(PlatformIndex.userId(key))
          .filter(u -> visibleTo(u, platformId))
          .ifPresent(u -> data.add(UserJson.render(reader.seenBy(u, platformId))));
    }
    var body = new LinkedHashMap<String, Object>();
    body.put("data", data);
    body.put("has_more", hasMore);
    return Response.ok(body);
  }

  static int limit(Request request) {
    Optional<String> raw = request.query("limit");
    if (raw.isEmpty()) {
      return DEFAULT_LIMIT;
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

  Response getCommand(Request request) {
    String platformId = platforms.authenticate(request);
    String commandId = request.pathParam("id");
    CommandResult result =
        views
            .commandResult(commandId)
            .filter(r -> r.getPlatformId().equals(platformId))
            .orElseThrow(() -> ApiException.notFound("no command " + commandId));
    return Response.ok(commandJson(result));
  }

  private UserReader.ReadableUser visibleUser(String platformId, String userId) {
    return reader.visibleTo(platformId, userId);
  }

  private static boolean visibleTo(UserReader.ReadableUser user, String platformId) {
    return UserReader.isVisibleTo(user, platformId);
  }

  /** The user as this platform may see them. */
  private Response rendered(UserReader.ReadableUser user, String platformId) {
    return Response.ok(UserJson.render(reader.seenBy(user, platformId)));
  }

  /**
   * A retried request with the same idempotency key (header or {@code idempotency_key}) maps to the
   * same command id, so it is decided once and answered with the first outcome for 24 hours.
   */
  static String commandId(String platformId, Request request, JsonFields fields) {
    Optional<String> key = request.header(IDEMPOTENCY_HEADER);
    if (key.isEmpty() && fields != null) {
      key = Optional.ofNullable(fields.optionalString("idempotency_key"));
    }
    if (key.isEmpty()) {
      return UUID.randomUUID().toString();
    }
    if (!CommandIds.isValidKey(key.get())) {
      throw ApiException.invalidField(
          "idempotency_key", "must be 1 to " + CommandIds.MAX_KEY_LENGTH + " characters");
    }
    return CommandIds.fromIdempotencyKey(platformId, key.get());
  }

  private UserCommand envelope(String commandId, String platformId, String userId, Object payload) {
    return UserCommand.newBuilder()
        .setCommandId(commandId)
        .setPlatformId(platformId)
        .setIssuedAt(clock.instant())
        .setUserId(userId)
        .setPayload(payload)
        .build();
  }

  /** 202 while in flight, the rejection as its error, else what {@code accepted} makes. */
  static Response answer(
      CommandGateway.Outcome outcome, Function<UserReader.ReadableUser, Response> accepted) {
    if (outcome instanceof CommandGateway.Outcome.Pending pending) {
      var body = new LinkedHashMap<String, Object>();
      body.put("command_id", pending.commandId());
      body.put("status", "pending");
      body.put("status_url", "/v2/commands/" + pending.commandId());
      return Response.of(202, body).withHeader("Location", "/v2/commands/" + pending.commandId());
    }
    var decided = (CommandGateway.Outcome.Decided) outcome;
    CommandResult result = decided.result();
    if (result.getOutcome() == CommandOutcome.REJECTED) {
      throw Rejections.toApiException(result);
    }
    return decided.user().map(accepted).orElseGet(() -> Response.ok(commandJson(result)));
  }

  static Response answer(
      CommandGateway.Outcome outcome,
      Function<UserReader.ReadableUser, Response> accepted,
      Function<CommandResult, Response> acceptedWithoutUser) {
    if (outcome instanceof CommandGateway.Outcome.Decided decided
        && decided.result().getOutcome() == CommandOutcome.ACCEPTED
        && decided.user().isEmpty()) {
      return acceptedWithoutUser.apply(decided.result());
    }
    return answer(outcome, accepted);
  }

  /**
   * Dots screens at creation: the create answer waits (bounded) for the user's first OFAC verdict,
   * and shows ofac_status null if it has not come by then.
   */
  private UserReader.ReadableUser withFirstVerdict(UserReader.ReadableUser user) {
    if (user.view().getCompliance().getOfacStatus() != null || firstVerdictWait.isZero()) {
      return user;
    }
    return commands
        .awaitUser(
            user.view().getId(), v -> v.getCompliance().getOfacStatus() != null, firstVerdictWait)
        .orElse(user);
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
    String commandId = commandId(platformId, request, fields);
    fields.check();
    connectedTo(platformId, userId);
    var command =
        OfacCommand.newBuilder()
            .setCommandId(commandId)
            .setUserId(userId)
            .setPlatformId(platformId)
            .setIssuedAt(clock.instant())
            .setPayload(new SubmitIdVerification(provider, reference))
            .build();
    return answerOfac(
        commands.submit(command),
        userId,
        OfacStatus.IN_REVIEW.wire(),
        u -> UserJson.render(reader.seenBy(u, platformId)));
  }

  /**
   * 404 unless the user exists and the platform has a connection; 403 while it is pending (this
   * command is decided by ofac-screener, which knows no connections: the edge checks).
   */
  private void connectedTo(String platformId, String userId) {
    if (reader.seenBy(visibleUser(platformId, userId), platformId).pending()) {
      throw new ApiException(
          403,
          UserJson.CONNECTION_PENDING,
          "this platform's connection to the user is pending: verify the code sent to the person"
              + " first");
    }
  }

  /** Accepted: the view once it shows the new status (read-your-writes), bounded by the wait. */
  private Response answerOfac(
      CommandGateway.Outcome outcome,
      String userId,
      String status,
      Function<UserReader.ReadableUser, Map<String, Object>> render) {
    return answer(
        outcome,
        ignored -> Response.ok(Map.of()),
        result ->
            commands
                .awaitUser(
                    userId, v -> status.equals(v.getCompliance().getOfacStatus()), firstVerdictWait)
                .map(u -> Response.ok(render.apply(u)))
                .orElseGet(() -> Response.ok(commandJson(result))));
  }

  static Map<String, Object> commandJson(CommandResult r) {
    var json = new LinkedHashMap<String, Object>();
    json.put("command_id", r.getCommandId());
    json.put("type", r.getCommandType());
    json.put("status", r.getOutcome() == CommandOutcome.ACCEPTED ? "accepted" : "rejected");
    json.put("user_id", r.getUserId());
    json.put("decided_at", r.getDecidedAt().toString());
    if (r.getRejection() != null) {
      json.put("error", Rejections.toApiException(r).body().get("error"));
    }
    return json;
  }
}
