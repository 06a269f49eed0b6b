package io.userpipe.projections.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.userpipe.projections.view.PlatformIndex;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CreateUser;
import io.userpipe.schemas.DeleteUser;
import io.userpipe.schemas.UpdateUser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

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
    Map<String, String> metadata = fields.optionalMetadata("metadata");
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
    return CommandAnswers.answerLater(
        outcome,
        user -> answers.withFirstVerdict(user).thenApply(u -> answers.rendered(u, platformId)));
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
            fields.optionalMetadata("metadata"),
            defaultPayoutMethod(
                platformId, userId, fields.optionalString("default_payout_method")));
    String commandId = CommandAnswers.commandId(platformId, request, fields);
    fields.check();
    boolean rescreened = changesScreenedProfile(userId, payload);
    var outcome = commands.submit(userId, answers.envelope(commandId, platformId, userId, payload));
    return CommandAnswers.answerLater(
        outcome,
        user ->
            (rescreened ? answers.withRescreening(user) : CompletableFuture.completedFuture(user))
                .thenApply(u -> answers.rendered(u, platformId)));
  }

  /**
   * Dots names the default by its kind ({@code "ach"}); the command names a method. A kind becomes
   * the user's method of that kind; anything else (a method id, as the Kafka door sends) passes as
   * it is, and one the user does not have is the command's rejection.
   */
  private String defaultPayoutMethod(String platformId, String userId, String asked) {
    if (asked == null || !PayoutKinds.ALL.contains(asked)) {
      return asked;
    }
    return reader
        .read(userId)
        .filter(u -> UserReader.isVisibleTo(u, platformId))
        .flatMap(u -> PayoutMethodsApi.methodOfKind(u.view(), asked))
        .map(m -> m.getId())
        .orElse(asked);
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

  /**
   * Dots answers a deletion with the user object: here, the user as this platform saw it just
   * before. A retry of a deletion already done (same idempotency key) finds no user to show: it is
   * answered with the decided command, as any write whose user is gone.
   */
  Response deleteUser(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    String commandId = CommandAnswers.commandId(platformId, request, null);
    UserBody before = seenBefore(platformId, userId);
    var outcome =
        commands.submit(userId, answers.envelope(commandId, platformId, userId, new DeleteUser()));
    return Response.later(
        outcome.thenApply(
            o -> {
              if (o instanceof CommandGateway.Outcome.Decided decided
                  && decided.result().getOutcome() == CommandOutcome.ACCEPTED) {
                return before == null
                    ? Response.ok(CommandAnswers.commandJson(decided.result()))
                    : Response.ok(before);
              }
              return CommandAnswers.answer(o, user -> Response.ok(before));
            }));
  }

  private UserBody seenBefore(String platformId, String userId) {
    return reader
        .read(userId)
        .filter(u -> UserReader.isVisibleTo(u, platformId))
        .map(u -> UserJson.render(reader.seenBy(u, platformId)))
        .orElse(null);
  }

  Response getUser(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    return answers.rendered(answers.visibleUser(platformId, userId), platformId);
  }

  /**
   * Cursor pagination, newest first: {@code limit}, {@code starting_after}, {@code ending_before};
   * {@code status} keeps the users of one of Dots' statuses (as {@link UserJson#status} derives
   * it). A filtered page reads at most {@link #MAX_SCANNED} index entries: a page that ends there
   * is shorter than {@code limit}, with {@code has_more} true and its last user as the cursor.
   */
  Response listUsers(Request request) {
    String platformId = platforms.authenticate(request);
    int limit = Paging.limit(request);
    Optional<String> after = request.query("starting_after");
    Optional<String> before = request.query("ending_before");
    Optional<String> status = request.query("status");
    if (status.isPresent() && !STATUSES.contains(status.get())) {
      throw ApiException.invalidField(
          "status", "must be one of verified, unverified, in_review, disabled");
    }
    if (after.isPresent() && before.isPresent()) {
      throw ApiException.invalidField(
          "ending_before", "starting_after and ending_before cannot be used together");
    }
    boolean descending = before.isPresent();
    String from;
    String to;
    if (before.isPresent()) {
      from = PlatformIndex.key(platformId, answers.visibleUser(platformId, before.get()).view());
      to = PlatformIndex.prefix(platformId);
    } else {
      from =
          after.isPresent()
              ? PlatformIndex.key(platformId, answers.visibleUser(platformId, after.get()).view())
              : PlatformIndex.prefix(platformId);
      to = PlatformIndex.end(platformId);
    }
    var data = new ArrayList<UserBody>();
    boolean hasMore = false;
    int scanned = 0;
    String cursor = from;
    while (true) {
      int batch = status.isEmpty() ? limit + 1 : Math.min(BATCH, MAX_SCANNED - scanned);
      List<String> keys =
          before.isPresent()
              ? views.platformIndex(to, cursor, batch, true)
              : views.platformIndex(cursor, to, batch, false);
      for (String key : keys) {
        scanned++;
        Optional<UserBody> user =
            reader
                .read(PlatformIndex.userId(key))
                .filter(u -> UserReader.isVisibleTo(u, platformId))
                .map(u -> UserJson.render(reader.seenBy(u, platformId)))
                .filter(u -> status.isEmpty() || status.get().equals(u.status()));
        if (user.isPresent()) {
          if (data.size() == limit) {
            hasMore = true;
            break;
          }
          data.add(user.get());
        }
      }
      if (hasMore || status.isEmpty() || keys.size() < batch) {
        break;
      }
      if (scanned >= MAX_SCANNED) {
        hasMore = true;
        break;
      }
      cursor = keys.get(keys.size() - 1);
    }
    if (descending) {
      Collections.reverse(data);
    }
    return Response.ok(new ApiBodies.UserPage(data, hasMore));
  }

  /** Dots' user statuses, the values of the list's {@code status} filter. */
  static final Set<String> STATUSES = Set.of("verified", "unverified", "in_review", "disabled");

  /** The most index entries one filtered page reads. */
  static final int MAX_SCANNED = 2_000;

  private static final int BATCH = 200;
}
