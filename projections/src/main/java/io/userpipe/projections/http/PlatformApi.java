package io.userpipe.projections.http;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.http.Response;
import java.time.Clock;
import java.time.Duration;

/**
 * The platform-facing /v2 API, one class per resource (users, verification, compliance, payout
 * methods, command status), sharing how a write is answered ({@link CommandAnswers}), and its
 * OpenAPI document at {@code /openapi.yaml}.
 */
public final class PlatformApi {

  private final UsersApi users;
  private final VerificationApi verification;
  private final ComplianceApi compliance;
  private final PayoutMethodsApi payoutMethods;
  private final CommandStatusApi commandStatus;

  public PlatformApi(
      PlatformDirectory platforms,
      CommandGateway commands,
      ViewQueries views,
      UserReader reader,
      CommandSecrets secrets,
      Duration firstVerdictWait,
      Clock clock) {
    var answers = new CommandAnswers(commands, reader, firstVerdictWait, clock);
    this.users = new UsersApi(platforms, answers, commands, views, reader);
    this.verification = new VerificationApi(platforms, answers, commands, secrets);
    this.compliance = new ComplianceApi(platforms, answers, commands, reader, secrets, clock);
    this.payoutMethods = new PayoutMethodsApi(platforms, answers, commands, reader, secrets);
    this.commandStatus = new CommandStatusApi(platforms, views);
  }

  public void mount(HttpService http) {
    users.mount(http);
    verification.mount(http);
    compliance.mount(http);
    payoutMethods.mount(http);
    commandStatus.mount(http);
    http.route("GET", "/openapi.yaml", request -> openApi());
  }

  private static Response openApi() throws java.io.IOException {
    try (var in = PlatformApi.class.getResourceAsStream("openapi.yaml")) {
      return Response.raw(200, "application/yaml", in.readAllBytes());
    }
  }
}
