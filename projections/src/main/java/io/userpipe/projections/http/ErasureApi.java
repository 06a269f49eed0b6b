package io.userpipe.projections.http;

import io.userpipe.runtime.http.AdminAuth;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.Json;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.EraseUser;
import io.userpipe.schemas.UserCommand;
import java.time.Clock;
import java.util.UUID;

/**
 * An operator erases a person, whatever platforms are connected ({@code POST
 * /admin/users/{id}/erasure}, behind {@link AdminAuth}): the person's key is shredded and the phone
 * released. user-command-service refuses it (409, naming the OFAC status) while a sanctions finding
 * holds the data.
 */
public final class ErasureApi {

  /** The platform id operator commands carry: no platform's own. */
  static final String OPERATOR = "admin";

  private final CommandGateway commands;
  private final AdminAuth admin;
  private final Clock clock;

  public ErasureApi(CommandGateway commands, AdminAuth admin, Clock clock) {
    this.commands = commands;
    this.admin = admin;
    this.clock = clock;
  }

  public void mount(HttpService http) {
    http.route("POST", "/admin/users/{id}/erasure", this::erase);
  }

  Response erase(Request request) {
    admin.check(request);
    String userId = request.pathParam("id");
    var fields = new JsonFields(request.jsonObject());
    String operator = fields.requiredString("operator");
    String reason = fields.requiredString("reason");
    fields.check();
    var command =
        UserCommand.newBuilder()
            .setCommandId(UUID.randomUUID().toString())
            .setPlatformId(OPERATOR)
            .setIssuedAt(clock.instant())
            .setUserId(userId)
            .setPayload(new EraseUser(operator, reason))
            .build();
    return UsersApi.answer(
        commands.submit(userId, command),
        user -> Response.ok(Json.object("id", userId, "erased", true)));
  }
}
