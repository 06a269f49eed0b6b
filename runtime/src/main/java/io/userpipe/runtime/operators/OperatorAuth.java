package io.userpipe.runtime.operators;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.BasicCredentials;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.WorkGate;
import java.util.List;
import java.util.Map;

/**
 * Who an operator request is ({@code /admin/...}): HTTP Basic with {@code operator_id:secret},
 * checked against the credentials {@code bin/operators} published (only a salted hash of each
 * secret is held; compared in constant time). The operator id it answers is the one identity an
 * operator's action is recorded under: a request body never names its own reviewer.
 */
public final class OperatorAuth {

  /** The work gate's caller for an operator (platform ids cannot contain a colon). */
  static final String CALLER_PREFIX = "operator:";

  private final OperatorCredentials credentials;
  private final java.util.function.BooleanSupplier caughtUp;

  public OperatorAuth(OperatorFollower follower) {
    this(follower.credentials(), follower::caughtUp);
  }

  OperatorAuth(OperatorCredentials credentials, java.util.function.BooleanSupplier caughtUp) {
    this.credentials = credentials;
    this.caughtUp = caughtUp;
  }

  /**
   * The id of the operator the request authenticates as; 401 when it does not, 503 while the
   * credentials are still being read at start-up. Served by an HTTP door, the request then waits
   * for its turn to do its work ({@link WorkGate}), as a platform's does.
   */
  public String authenticate(Request request) {
    BasicCredentials presented =
        BasicCredentials.of(request).orElseThrow(OperatorAuth::unauthorized);
    if (!caughtUp.getAsBoolean()) {
      throw new ApiException(
          503,
          "starting",
          "the operators' credentials are still being read; retry",
          List.of(),
          Map.of("Retry-After", "1"));
    }
    String operatorId = presented.user();
    if (!credentials.authenticate(operatorId, presented.password())) {
      throw unauthorized();
    }
    WorkGate.enter(CALLER_PREFIX + operatorId);
    return operatorId;
  }

  private static ApiException unauthorized() {
    return new ApiException(
        401,
        "unauthorized",
        "an operator endpoint: authenticate with HTTP Basic operator_id:secret (bin/operators)",
        List.of(),
        Map.of("WWW-Authenticate", "Basic realm=\"userpipe-operators\""));
  }
}
