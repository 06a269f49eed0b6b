package io.userpipe.projections.http;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.Json;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.AddPayoutMethod;
import io.userpipe.schemas.PayoutMethodIds;
import io.userpipe.schemas.RemovePayoutMethod;
import io.userpipe.schemas.UserView;
import java.util.ArrayList;
import java.util.Map;

/**
 * A user's payout methods: add (the account number sealed here, before it reaches Kafka), list,
 * remove.
 */
final class PayoutMethodsApi {

  private final PlatformDirectory platforms;
  private final CommandAnswers answers;
  private final CommandGateway commands;
  private final UserReader reader;
  private final CommandSecrets secrets;

  PayoutMethodsApi(
      PlatformDirectory platforms,
      CommandAnswers answers,
      CommandGateway commands,
      UserReader reader,
      CommandSecrets secrets) {
    this.platforms = platforms;
    this.answers = answers;
    this.commands = commands;
    this.reader = reader;
    this.secrets = secrets;
  }

  void mount(HttpService http) {
    http.route("POST", "/v2/users/{id}/payout-methods", this::addPayoutMethod)
        .route("GET", "/v2/users/{id}/payout-methods", this::listPayoutMethods)
        .route("DELETE", "/v2/users/{id}/payout-methods/{method}", this::removePayoutMethod);
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
    String commandId = CommandAnswers.commandId(platformId, request, fields);
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
    var outcome =
        commands.submit(userId, answers.envelope(commandId, platformId, userId, payload.build()));
    String methodId = PayoutMethodIds.of(commandId);
    return CommandAnswers.answer(
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
    UserReader.ReadableUser user = answers.visibleUser(platformId, request.pathParam("id"));
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
    String commandId = CommandAnswers.commandId(platformId, request, null);
    var outcome =
        commands.submit(
            userId,
            answers.envelope(commandId, platformId, userId, new RemovePayoutMethod(methodId)));
    return CommandAnswers.answer(
        outcome, user -> Response.ok(Json.object("id", methodId, "deleted", true)));
  }
}
