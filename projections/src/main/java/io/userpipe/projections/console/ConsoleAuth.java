package io.userpipe.projections.console;

import io.userpipe.projections.console.ConsoleSessions.Session;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.operators.OperatorAuth;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Who a console request is: the session its cookie holds, checked (signature, expiry, the
 * operator's credential unchanged), and for a state change that it came from a console page (its
 * {@code Origin}, and the session's CSRF token in the form). The cookie is {@code HttpOnly}, {@code
 * SameSite=Strict}, scoped to {@code /console}, and {@code Secure} when the console is reached over
 * TLS (docs/CONSOLE.md).
 */
final class ConsoleAuth {

  static final String COOKIE = "userpipe_console";

  /** A console page asked for without a valid session: back to sign-in. */
  static final class SignInRequired extends RuntimeException {
    private final boolean expired;

    SignInRequired(boolean expired) {
      super(expired ? "the session has expired" : "not signed in", null, false, false);
      this.expired = expired;
    }

    /**
     * A session was presented, but it is over (expired, signed otherwise, or its secret changed).
     */
    boolean expired() {
      return expired;
    }
  }

  private final ConsoleSessions sessions;
  private final OperatorAuth operators;
  private final boolean secureCookies;
  private final Clock clock;

  ConsoleAuth(
      ConsoleSessions sessions, OperatorAuth operators, boolean secureCookies, Clock clock) {
    this.sessions = sessions;
    this.operators = operators;
    this.secureCookies = secureCookies;
    this.clock = clock;
  }

  ConsoleSessions sessions() {
    return sessions;
  }

  /** Checks an operator's id and secret and opens a session for them. */
  Session signIn(String operatorId, String secret) {
    return sessions.open(operatorId, operators.signIn(operatorId, secret), clock.instant());
  }

  /** The request's session; {@link SignInRequired} when it has none that holds. */
  Session require(Request request) {
    Optional<String> cookie = cookie(request);
    if (cookie.isEmpty()) {
      throw new SignInRequired(false);
    }
    Session session =
        sessions.open(cookie.get(), clock.instant()).orElseThrow(() -> new SignInRequired(true));
    try {
      operators.resume(session.operatorId(), session.credentialSince());
    } catch (ApiException e) {
      if (e.status() == 401) {
        throw new SignInRequired(true); // rotated or retired since: the session is over
      }
      throw e;
    }
    return session;
  }

  /**
   * A state change's checks: it comes from a page of this console ({@code Origin}, when the browser
   * sends one, names this host) and carries the session's CSRF token. 403 otherwise.
   */
  void checkStateChange(Request request, Session session, FormBody form) {
    checkOrigin(request);
    if (!sessions.csrfMatches(session, form.get("csrf").orElse(null))) {
      throw csrf("the form carries no valid CSRF token of this session");
    }
  }

  /** The sign-in form's check: no session yet, so no token, but the origin must be ours. */
  void checkOrigin(Request request) {
    Optional<String> origin = request.header("Origin");
    if (origin.isEmpty()) {
      return; // not a browser's cross-site form: browsers send Origin on every POST
    }
    String host = request.header("Host").orElse("");
    String presented;
    try {
      URI uri = URI.create(origin.get());
      presented = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
    } catch (IllegalArgumentException e) {
      presented = "";
    }
    if (host.isEmpty()
        || !presented.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT))) {
      throw csrf("the request came from another site (" + origin.get() + ")");
    }
  }

  private static ApiException csrf(String why) {
    return new ApiException(403, "csrf", "refused: " + why);
  }

  /** The header that hands the browser its session. */
  String setCookie(Request request, Session session) {
    return COOKIE
        + "="
        + sessions.seal(session)
        + "; Path=/console; Max-Age="
        + sessions.ttl().toSeconds()
        + "; HttpOnly; SameSite=Strict"
        + (secure(request) ? "; Secure" : "");
  }

  /** The header that takes it back. */
  String clearCookie(Request request) {
    return COOKIE
        + "=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict"
        + (secure(request) ? "; Secure" : "");
  }

  /** TLS: configured so, or the proxy in front says the browser came over https. */
  private boolean secure(Request request) {
    return secureCookies
        || request.header("X-Forwarded-Proto").map(p -> p.equalsIgnoreCase("https")).orElse(false);
  }

  static Optional<String> cookie(Request request) {
    for (String part : request.header("Cookie").orElse("").split(";")) {
      String p = part.strip();
      if (p.startsWith(COOKIE + "=")) {
        String value = p.substring(COOKIE.length() + 1);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
