package io.userpipe.projections.http;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.CommandIds;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.UserCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * How a platform's write becomes a command and its answer, for every resource of the public API:
 * the command id (from an idempotency key, or fresh), the envelope, the answer once decided (202
 * while in flight, the rejection as its error), and the waits that make an answer show what the
 * write did (a create's first OFAC verdict, a screened change's re-screening, an ID verification's
 * new status), each bounded by {@code OFAC_FIRST_VERDICT_WAIT}.
 */
final class CommandAnswers {

  static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

  private final CommandGateway commands;
  private final UserReader reader;
  private final Duration firstVerdictWait;
  private final Clock clock;

  CommandAnswers(
      CommandGateway commands, UserReader reader, Duration firstVerdictWait, Clock clock) {
    this.commands = commands;
    this.reader = reader;
    this.firstVerdictWait = firstVerdictWait;
    this.clock = clock;
  }

  /** How long an answer waits for a screening; zero where no screener runs. */
  Duration firstVerdictWait() {
    return firstVerdictWait;
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

  UserCommand envelope(String commandId, String platformId, String userId, Object payload) {
    return UserCommand.newBuilder()
        .setCommandId(commandId)
        .setPlatformId(platformId)
        .setIssuedAt(clock.instant())
        .setUserId(userId)
        .setPayload(payload)
        .build();
  }

  /**
   * The answer once the command's outcome is known ({@link Response#later}: no thread waits for
   * it): 202 while in flight, the rejection as its error, else what {@code accepted} makes.
   */
  static Response answer(
      CompletableFuture<CommandGateway.Outcome> outcome,
      Function<UserReader.ReadableUser, Response> accepted) {
    return Response.later(outcome.thenApply(o -> answer(o, accepted)));
  }

  /** The same, where the answer waits again for what {@code accepted} needs to show. */
  static Response answerLater(
      CompletableFuture<CommandGateway.Outcome> outcome,
      Function<UserReader.ReadableUser, CompletableFuture<Response>> accepted) {
    return Response.later(
        outcome.thenCompose(
            o ->
                o instanceof CommandGateway.Outcome.Decided decided
                        && decided.result().getOutcome() == CommandOutcome.ACCEPTED
                        && decided.user().isPresent()
                    ? accepted.apply(decided.user().get())
                    // in flight, rejected, or accepted without a user: accepted is not asked
                    : CompletableFuture.completedFuture(answer(o, user -> null))));
  }

  /** The same, with {@code acceptedWithoutUser} for an accepted command that names no user. */
  static Response answer(
      CompletableFuture<CommandGateway.Outcome> outcome,
      Function<UserReader.ReadableUser, Response> accepted,
      Function<CommandResult, CompletableFuture<Response>> acceptedWithoutUser) {
    return Response.later(
        outcome.thenCompose(
            o ->
                o instanceof CommandGateway.Outcome.Decided decided
                        && decided.result().getOutcome() == CommandOutcome.ACCEPTED
                        && decided.user().isEmpty()
                    ? acceptedWithoutUser.apply(decided.result())
                    : CompletableFuture.completedFuture(answer(o, accepted))));
  }

  /** 202 while in flight, the rejection as its error, else what {@code accepted} makes. */
  static Response answer(
      CommandGateway.Outcome outcome, Function<UserReader.ReadableUser, Response> accepted) {
    if (outcome instanceof CommandGateway.Outcome.Pending pending) {
      var body =
          new ApiBodies.CommandPending(
              pending.commandId(), "pending", "/v2/commands/" + pending.commandId());
      return Response.of(202, body).withHeader("Location", "/v2/commands/" + pending.commandId());
    }
    var decided = (CommandGateway.Outcome.Decided) outcome;
    CommandResult result = decided.result();
    if (result.getOutcome() == CommandOutcome.REJECTED) {
      throw Rejections.toApiException(result);
    }
    return decided.user().map(accepted).orElseGet(() -> Response.ok(commandJson(result)));
  }

  static ApiBodies.CommandStatus commandJson(CommandResult r) {
    return new ApiBodies.CommandStatus(
        r.getCommandId(),
        r.getCommandType(),
        r.getOutcome() == CommandOutcome.ACCEPTED ? "accepted" : "rejected",
        r.getUserId(),
        r.getDecidedAt().toString(),
        r.getRejection() == null ? null : Rejections.toApiException(r).body().get("error"));
  }

  /** The user as this platform may see them. */
  Response rendered(UserReader.ReadableUser user, String platformId) {
    return Response.ok(UserJson.render(reader.seenBy(user, platformId)));
  }

  UserReader.ReadableUser visibleUser(String platformId, String userId) {
    return reader.visibleTo(platformId, userId);
  }

  /**
   * Dots screens at creation: the create answer waits (bounded) for the user's first OFAC verdict,
   * and shows ofac_status null if it has not come by then.
   */
  CompletableFuture<UserReader.ReadableUser> withFirstVerdict(UserReader.ReadableUser user) {
    if (user.view().getCompliance().getOfacStatus() != null || firstVerdictWait.isZero()) {
      return CompletableFuture.completedFuture(user);
    }
    return commands
        .awaitUser(
            user.view().getId(), v -> v.getCompliance().getOfacStatus() != null, firstVerdictWait)
        .thenApply(seen -> seen.orElse(user));
  }

  /**
   * A write's answer reflects its screening, as the create's does: after a change of the name or
   * date of birth, or a tax form (whose names are screened too), the answer waits (bounded by
   * {@code OFAC_FIRST_VERDICT_WAIT}) until ofac-screener screened the user's new version.
   * ofac-screener records every such screening, changed outcome or not, so the wait ends as soon as
   * it has screened.
   */
  CompletableFuture<UserReader.ReadableUser> withRescreening(UserReader.ReadableUser user) {
    long version = user.view().getVersion();
    Long screened = user.view().getCompliance().getOfacScreenedVersion();
    if (screened != null && screened >= version) {
      return CompletableFuture.completedFuture(user);
    }
    return commands
        .awaitUser(
            user.view().getId(),
            v -> {
              Long s = v.getCompliance().getOfacScreenedVersion();
              return s != null && s >= version;
            },
            firstVerdictWait)
        .thenApply(seen -> seen.orElse(user));
  }

  /**
   * 404 unless the user exists and the platform has a connection; 403 while it is pending (this
   * command is decided by ofac-screener, which knows no connections: the edge checks).
   */
  void connectedTo(String platformId, String userId) {
    if (reader.seenBy(visibleUser(platformId, userId), platformId).pending()) {
      throw new ApiException(
          403,
          UserJson.CONNECTION_PENDING,
          "this platform's connection to the user is pending: verify the code sent to the person"
              + " first");
    }
  }

  /** Accepted: the view once it shows the new status (read-your-writes), bounded by the wait. */
  Response answerOfac(
      CompletableFuture<CommandGateway.Outcome> outcome,
      String userId,
      String status,
      Function<UserReader.ReadableUser, ?> render) {
    return answer(
        outcome,
        ignored -> Response.ok(java.util.Map.of()),
        result ->
            commands
                .awaitUser(
                    userId, v -> status.equals(v.getCompliance().getOfacStatus()), firstVerdictWait)
                .thenApply(
                    seen ->
                        seen.map(u -> Response.ok(render.apply(u)))
                            .orElseGet(() -> Response.ok(commandJson(result)))));
  }
}
