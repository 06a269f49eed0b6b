package io.userpipe.projections.http;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.runtime.operators.OperatorAuth;
import io.userpipe.schemas.OfacReview;
import io.userpipe.schemas.ReviewDecision;
import io.userpipe.schemas.vocabulary.OfacStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * {@code POST /admin/users/{id}/ofac-review} {@code {"decision": "clear"|"confirm", "note": "...",
 * "screening_version": 3}}: a reviewer's decision on a user in_review, about the version of the
 * case the reviewer saw in the review queue (optional; left out, the current version). The reviewer
 * on record is the operator the request authenticates as ({@link OperatorAuth}); a {@code reviewer}
 * in the body is ignored, never recorded. The decision goes out on {@code ofac.reviews}, the
 * operators' topic, and the answer waits for its result like any write: the user's view once it
 * shows the new status.
 */
public final class OfacReviewApi {

  private final OperatorAuth operators;
  private final CommandGateway commands;
  private final Duration viewWait;
  private final Clock clock;

  public OfacReviewApi(
      OperatorAuth operators, CommandGateway commands, Duration viewWait, Clock clock) {
    this.operators = operators;
    this.commands = commands;
    this.viewWait = viewWait;
    this.clock = clock;
  }

  public void mount(HttpService http) {
    http.route("POST", "/admin/users/{id}/ofac-review", this::resolve);
  }

  Response resolve(Request request) {
    String operatorId = operators.authenticate(request);
    String userId = request.pathParam("id");
    var fields = new JsonFields(request.jsonObject());
    String decision = fields.requiredString("decision");
    String note = fields.requiredString("note");
    // The version of the case the operator saw (the review queue's screening_version): a decision
    // on a case that changed since is refused (409 conflict). An older client that sends none
    // decides the case as it is when the decision arrives.
    Long screeningVersion = fields.optionalLong("screening_version");
    // Idempotency keys are the operator's own: two operators' keys never collide.
    String commandId = CommandAnswers.commandId("operator:" + operatorId, request, fields);
    fields.check();
    if (!decision.equals("clear") && !decision.equals("confirm")) {
      throw ApiException.invalidField("decision", "must be clear or confirm");
    }
    boolean clear = decision.equals("clear");
    var review = review(commandId, userId, operatorId, clear, note, screeningVersion, clock);
    String status = (clear ? OfacStatus.UNFLAGGED : OfacStatus.FLAGGED).wire();
    return CommandAnswers.answer(
        commands.submit(review),
        ignored -> Response.ok(Map.of()),
        result ->
            commands
                .awaitUser(userId, v -> status.equals(v.getCompliance().getOfacStatus()), viewWait)
                .thenApply(
                    seen ->
                        seen.map(u -> Response.ok(UserJson.render(u)))
                            .orElseGet(() -> Response.ok(CommandAnswers.commandJson(result)))));
  }

  /**
   * The decision an operator took, as it goes out on {@code ofac.reviews}: this API's and the
   * review console's ({@code io.userpipe.projections.console}).
   */
  public static OfacReview review(
      String commandId,
      String userId,
      String operatorId,
      boolean clear,
      String note,
      Long screeningVersion,
      Clock clock) {
    return OfacReview.newBuilder()
        .setCommandId(commandId)
        .setUserId(userId)
        .setOperatorId(operatorId)
        .setDecision(clear ? ReviewDecision.CLEAR : ReviewDecision.CONFIRM)
        .setNote(note)
        .setScreeningVersion(screeningVersion)
        .setIssuedAt(clock.instant())
        .build();
  }
}
