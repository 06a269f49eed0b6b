package io.userpipe.projections.http;

import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.runtime.operators.OperatorAuth;
import io.userpipe.schemas.EraseUser;
import io.userpipe.schemas.UserCommand;
import java.time.Clock;
import java.util.UUID;

/**
 * An operator erases a person, whatever platforms are connected ({@code POST
 * /admin/users/{id}/erasure}, signed in as themselves: {@link OperatorAuth}): the person's key is
 * shredded and the phone released. The operator recorded is the signed-in one, never the body's.
 * user-command-service refuses it (409, naming the OFAC status) while a sanctions finding holds the
 * data.
 */
public final class ErasureApi {

  private final CommandGateway commands;
  private final OperatorAuth operators;
  private final Clock clock;

  public ErasureApi(CommandGateway commands, OperatorAuth operators, Clock clock) {
    this.commands = commands;
    this.operators = operators;
    this.clock = clock;
  }

  public void mount(HttpService http) {
    http.route("POST", "/admin/users/{id}/erasure", this::erase);
  }

  Response erase(Request request) {
    String operator = operators.authenticate(request);
    String userId = request.pathParam("id");
    var fields = new JsonFields(request.jsonObject());
    fields.optionalString("operator"); // an older console's: never recorded
    String reason = fields.requiredString("reason");
    fields.check();
    var command =
        UserCommand.newBuilder()
            .setCommandId(UUID.randomUUID().toString())
            .setPlatformId("operator:" + operator)
            .setIssuedAt(clock.instant())
            .setUserId(userId)
            .setPayload(new EraseUser(operator, reason))
            .build();
    return CommandAnswers.answer(
        commands.submit(userId, command), user -> Response.ok(new ApiBodies.Erased(userId, true)));
  }
}
