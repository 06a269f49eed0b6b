package io.userpipe.runtime.operators;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.BasicCredentials;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.WorkGate;
import io.userpipe.schemas.OperatorChange;
import io.userpipe.schemas.OperatorCredential;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    signIn(presented.user(), presented.password());
    return presented.user();
  }

  /**
   * Checks an operator's id and secret as {@link #authenticate(Request)} does (the review console's
   * sign-in form), and answers when the operator's current credential was made: a session bound to
   * it ends when the secret is rotated or the operator retired ({@link #resume}).
   */
  public Instant signIn(String operatorId, String secret) {
    awaitCaughtUp();
    if (!credentials.authenticate(operatorId, secret)) {
      throw unauthorized();
    }
    Instant since = credentialSince(operatorId).orElseThrow(OperatorAuth::unauthorized);
    WorkGate.enter(CALLER_PREFIX + operatorId);
    return since;
  }

  /**
   * Resumes a signed session of an operator whose credential was made at {@code credentialSince}:
   * 401 once that credential was rotated or the operator retired, so a session never outlives the
   * secret it was opened with. Then the request waits for its turn, as a signed-in one does.
   */
  public void resume(String operatorId, Instant credentialSince) {
    awaitCaughtUp();
    if (!credentialSince(operatorId).map(credentialSince::equals).orElse(false)) {
      throw unauthorized();
    }
    WorkGate.enter(CALLER_PREFIX + operatorId);
  }

  /** When the operator's current credential was made; empty for an unknown or retired operator. */
  private Optional<Instant> credentialSince(String operatorId) {
    return credentials
        .find(operatorId)
        .filter(c -> c.getChange() != OperatorChange.RETIRED)
        .map(OperatorCredential::getChangedAt);
  }

  private void awaitCaughtUp() {
    if (!caughtUp.getAsBoolean()) {
      throw new ApiException(
          503,
          "starting",
          "the operators' credentials are still being read; retry",
          List.of(),
          Map.of("Retry-After", "1"));
    }
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
