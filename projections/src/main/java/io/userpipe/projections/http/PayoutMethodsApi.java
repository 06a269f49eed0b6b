package io.userpipe.projections.http;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.schemas.AddPayoutMethod;
import io.userpipe.schemas.PayoutMethodSummary;
import io.userpipe.schemas.RemovePayoutMethod;
import io.userpipe.schemas.UserView;
import java.util.ArrayList;
import java.util.Optional;

/**
 * A user's payout methods in Dots' shapes: add or replace ({@code PUT}, one method per kind, the
 * account number sealed here before it reaches Kafka), list, remove.
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
    http.route("PUT", "/v2/users/{id}/payout-methods", this::putPayoutMethod)
        .route("GET", "/v2/users/{id}/payout-methods", this::listPayoutMethods)
        .route("DELETE", "/v2/users/{id}/payout-methods/{method}", this::removePayoutMethod);
  }

  /**
   * Dots' add: a flat body naming the kind in {@code platform}: {@code ach} (routing_number,
   * account_number, account_type), {@code paypal} (email), {@code venmo} (phone_number), {@code
   * cash_app} (cash_tag). One method per kind: this one replaces the user's method of its kind. The
   * account number is sealed here, before it reaches Kafka.
   */
  Response putPayoutMethod(Request request) {
    String platformId = platforms.authenticate(request);
    String userId = request.pathParam("id");
    var fields = new JsonFields(request.jsonObject());
    String commandId = CommandAnswers.commandId(platformId, request, fields);
    String kind = fields.requiredString("platform");
    var payload = AddPayoutMethod.newBuilder().setKind(kind == null ? "" : kind);
    if (kind != null) {
      switch (kind) {
        case "ach" -> {
          String account = fields.requiredString("account_number");
          payload
              .setRoutingNumber(fields.requiredString("routing_number"))
              .setAccountNumber(
                  account == null ? null : secrets.sealAccountNumber(commandId, account))
              .setAccountType(fields.requiredString("account_type"));
        }
        case "paypal" -> payload.setEmail(fields.requiredString("email"));
        case "venmo" -> {
          if (fields.optionalString("handle") != null
              && fields.optionalString("phone_number") == null) {
            throw ApiException.invalidField(
                "handle", "is not supported: give the Venmo account's phone_number");
          }
          payload.setPhone(fields.requiredString("phone_number"));
        }
        case "cash_app" -> payload.setCashtag(fields.requiredString("cash_tag"));
        default ->
            throw ApiException.invalidField("platform", "must be ach, paypal, venmo or cash_app");
      }
    }
    fields.check();
    var outcome =
        commands.submit(userId, answers.envelope(commandId, platformId, userId, payload.build()));
    return CommandAnswers.answer(
        outcome,
        user ->
            methodOfKind(user.view(), kind)
                .map(m -> Response.ok(PayoutMethodBody.of(m, user.view().getDefaultPayoutMethod())))
                .orElseThrow(() -> ApiException.notFound("no " + kind + " payout method")));
  }

  /** The user's method of a kind: the latest, should a user from before one-per-kind hold two. */
  static Optional<PayoutMethodSummary> methodOfKind(UserView view, String kind) {
    PayoutMethodSummary found = null;
    for (PayoutMethodSummary m : view.getPayoutMethods()) {
      if (m.getKind().equals(kind)) {
        found = m;
      }
    }
    return Optional.ofNullable(found);
  }

  /** Dots' list: a bare array of the user's methods. */
  Response listPayoutMethods(Request request) {
    String platformId = platforms.authenticate(request);
    UserReader.ReadableUser user = answers.visibleUser(platformId, request.pathParam("id"));
    UserView view = user.view();
    var data = new ArrayList<PayoutMethodBody>();
    if (!reader.seenBy(user, platformId).pending()) { // a pending platform sees none
      view.getPayoutMethods()
          .forEach(m -> data.add(PayoutMethodBody.of(m, view.getDefaultPayoutMethod())));
    }
    return Response.ok(data);
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
        outcome, user -> Response.ok(new ApiBodies.Deleted(methodId, true)));
  }
}
