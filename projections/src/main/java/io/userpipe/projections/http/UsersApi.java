package io.userpipe.projections.http;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.UserView;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The public /v2 API: writes become commands, reads come from the views. */
public final class UsersApi {

  private final PlatformDirectory platforms;
  private final CommandGateway commands;
  private final ViewQueries views;
  private final Clock clock;

  public UsersApi(
      PlatformDirectory platforms, CommandGateway commands, ViewQueries views, Clock clock) {
    this.platforms = platforms;
    this.commands = commands;
    this.views = views;
    this.clock = clock;
  }

  public void mount(HttpService http) {
    http.route("POST", "/v2/users", this::createUser)
        .route("GET", "/v2/users/{id}", this::getUser)
        .route("GET", "/v2/commands/{id}", this::getCommand);
  }

  Response createUser(Request request) {
    String platformId = platforms.authenticate(request);
    var fields = new JsonFields(request.jsonObject());
    String firstName = fields.requiredString("first_name");
    String lastName = fields.requiredString("last_name");
    String email = fields.requiredString("email");
    String countryCode = fields.requiredString("country_code");
    String phoneNumber = fields.requiredString("phone_number");
    String username = fields.optionalString("username");
    String dateOfBirth = fields.optionalString("date_of_birth");
    Map<String, String> metadata = fields.optionalStringMap("metadata");
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
    var command = envelope(platformId, null, payload);
    // Keyed by the plain E.164 spelling; the command service re-keys the rare number whose
    // normalized form differs (a national trunk prefix), so this is an optimisation, not a rule.
    String key = "+" + payload.getCountryCode() + payload.getPhoneNumber();
    return answer(commands.submit(key, command), 200);
  }

  Response getUser(Request request) {
    String platformId = platforms.authenticate(request);
    return Response.ok(UserJson.render(visibleUser(platformId, request.pathParam("id"))));
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

  /** A user the platform may see; others do not exist for it (404, so ids do not leak). */
  private UserView visibleUser(String platformId, String userId) {
    return views
        .user(userId)
        .filter(v -> !v.getDeleted() && v.getPlatforms().contains(platformId))
        .orElseThrow(() -> ApiException.notFound("no user " + userId));
  }

  private UserCommand envelope(String platformId, String userId, Object payload) {
    return UserCommand.newBuilder()
        .setCommandId(UUID.randomUUID().toString())
        .setPlatformId(platformId)
        .setIssuedAt(clock.instant())
        .setUserId(userId)
        .setPayload(payload)
        .build();
  }

  private Response answer(CommandGateway.Outcome outcome, int okStatus) {
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
    return decided
        .view()
        .map(v -> Response.of(okStatus, UserJson.render(v)))
        .orElseGet(() -> Response.of(okStatus, commandJson(result)));
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
