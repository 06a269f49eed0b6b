package io.userpipe.projections.http;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.SendVerificationToken;
import io.userpipe.schemas.VerifyUser;

/**
 * Proving the phone: sending the one-time code and verifying it. The code never travels in the
 * clear: it is sealed here, bound to its one command.
 */
final class VerificationApi {

  private final PlatformDirectory platforms;
  private final CommandAnswers answers;
  private final CommandGateway commands;
  private final CommandSecrets secrets;

  VerificationApi(
      PlatformDirectory platforms,
      CommandAnswers answers,
      CommandGateway commands,
      CommandSecrets secrets) {
    this.platforms = platforms;
    this.answers = answers;
    this.commands = commands;
    this.secrets = secrets;
  }

  void mount(HttpService http) {
    http.route("POST", "/v2/users/{id}/send-verification-token", this::sendVerificationToken)
        .route("POST", "/v2/users/{id}/verify", this::verifyUser);
  }

  Response sendVerificationToken(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    String commandId = CommandAnswers.commandId(platformId, request, null);
    var outcome =
        commands.submit(
            userId, answers.envelope(commandId, platformId, userId, new SendVerificationToken()));
    return CommandAnswers.answer(
        outcome,
        user -> Response.of(202, new ApiBodies.TokenSent(userId, "verification token sent")));
  }

  Response verifyUser(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    var fields = new JsonFields(request.jsonObject());
    String token = fields.requiredString("token");
    String commandId = CommandAnswers.commandId(platformId, request, fields);
    fields.check();
    // The code never travels in the clear: sealed here, bound to this one command.
    var payload = new VerifyUser(secrets.sealCode(commandId, token));
    var outcome = commands.submit(userId, answers.envelope(commandId, platformId, userId, payload));
    return CommandAnswers.answer(outcome, user -> answers.rendered(user, platformId));
  }
}
