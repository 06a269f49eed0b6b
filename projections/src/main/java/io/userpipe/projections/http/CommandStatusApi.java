package io.userpipe.projections.http;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.CommandResult;

/**
 * A command's status ({@code GET /v2/commands/{id}}): where a write that answered 202 ends up, for
 * the platform that sent it only.
 */
final class CommandStatusApi {

  private final PlatformDirectory platforms;
  private final ViewQueries views;

  CommandStatusApi(PlatformDirectory platforms, ViewQueries views) {
    this.platforms = platforms;
    this.views = views;
  }

  void mount(HttpService http) {
    http.route("GET", "/v2/commands/{id}", this::getCommand);
  }

  Response getCommand(Request request) {
    String platformId = platforms.authenticate(request);
    String commandId = request.pathParam("id");
    CommandResult result =
        views
            .commandResult(commandId)
            .filter(r -> r.getPlatformId().equals(platformId))
            .orElseThrow(() -> ApiException.notFound("no command " + commandId));
    return Response.ok(CommandAnswers.commandJson(result));
  }
}
