package io.userpipe.projections.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.projections.view.PlatformIndex;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.Json;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.DeleteUser;
import io.userpipe.schemas.UpdateUser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The users resource of the public /v2 API: create, list, retrieve, update, delete. Every write
 * becomes a command and waits for its result (and for the view to show it); every read comes from
 * the views. A platform sees only the users connected to it; the others answer 404, so ids do not
 * leak.
 */
final class UsersApi {

  private final PlatformDirectory platforms;
  private final CommandAnswers answers;
  private final CommandGateway commands;
  private final ViewQueries views;
  private final UserReader reader;

  UsersApi(
      PlatformDirectory platforms,
      CommandAnswers answers,
      CommandGateway commands,
      ViewQueries views,
      UserReader reader) {
    this.platforms = platforms;
    this.answers = answers;
    this.commands = commands;
    this.views = views;
    this.reader = reader;
  }

  void mount(HttpService http) {
    http.route("POST", "/v2/users", this::createUser)
        .route("GET", "/v2/users", this::listUsers)
        .route("GET", "/v2/users/{id}", this::getUser)
        .route("PATCH", "/v2/users/{id}", this::updateUser)
        .route("PUT", "/v2/users/{id}", this::updateUser)
        .route("DELETE", "/v2/users/{id}", this::deleteUser);
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
    String commandId = CommandAnswers.commandId(platformId, request, fields);
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
    var outcome = commands.submit(key, answers.envelope(commandId, platformId, null, payload));
    return CommandAnswers.answer(
        outcome, user -> answers.rendered(answers.withFirstVerdict(user), platformId));
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
    String commandId = CommandAnswers.commandId(platformId, request, fields);
    fields.check();
    boolean rescreened = changesScreenedProfile(userId, payload);
    var outcome = commands.submit(userId, answers.envelope(commandId, platformId, userId, payload));
    return CommandAnswers.answer(
        outcome,
        user -> answers.rendered(rescreened ? answers.withRescreening(user) : user, platformId));
  }

  /**
   * Whether an update changes what ofac-screener screens (the name or date of birth), as the view
   * has it now: such an update's answer waits for its re-screening. A user the view does not have
   * is the command's business (its rejection answers).
   */
  private boolean changesScreenedProfile(String userId, UpdateUser update) {
    if (answers.firstVerdictWait().isZero()
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

  Response deleteUser(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    String commandId = CommandAnswers.commandId(platformId, request, null);
    var outcome =
        commands.submit(userId, answers.envelope(commandId, platformId, userId, new DeleteUser()));
    return CommandAnswers.answer(
        outcome, user -> Response.ok(Json.object("id", userId, "deleted", true)));
  }

  Response getUser(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    return answers.rendered(answers.visibleUser(platformId, userId), platformId);
  }

  /**
   * Cursor pagination, newest first: {@code limit}, {@code starting_after}, {@code ending_before}.
   */
  Response listUsers(Request request) {
    String platformId = platforms.authenticate(request);
    int limit = Paging.limit(request);
    Optional<String> after = request.query("starting_after");
    Optional<String> before = request.query("ending_before");
    if (after.isPresent() && before.isPresent()) {
      throw ApiException.invalidField(
          "ending_before", "starting_after and ending_before cannot be used together");
    }
    List<String> keys;
    if (before.isPresent()) {
      String cursor =
          PlatformIndex.key(platformId, answers.visibleUser(platformId, before.get()).view());
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
            ? PlatformIndex.key(platformId, answers.visibleUser(platformId, after.get()).view())
            : PlatformIndex.prefix(platformId);
    keys = views.platformIndex(from, PlatformIndex.end(platformId), limit + 1, false);
    return page(keys.subList(0, Math.min(limit, keys.size())), keys.size() > limit, platformId);
  }

  private Response page(List<String> keys, boolean hasMore, String platformId) {
    var data = new ArrayList<Map<String, Object>>();
    for (String key : keys) {
      reader
          .read(PlatformIndex.userId(key))
          .filter(u -> UserReader.isVisibleTo(u, platformId))
          .ifPresent(u -> data.add(UserJson.render(reader.seenBy(u, platformId))));
    }
    var body = new LinkedHashMap<String, Object>();
    body.put("data", data);
    body.put("has_more", hasMore);
    return Response.ok(body);
  }
}
