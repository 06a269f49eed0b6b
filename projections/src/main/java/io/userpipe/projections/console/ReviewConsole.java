package io.userpipe.projections.console;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.userpipe.projections.console.ConsoleSessions.Session;
import io.userpipe.projections.http.CommandGateway;
import io.userpipe.projections.http.OfacReviewApi;
import io.userpipe.projections.http.UserReader;
import io.userpipe.projections.http.ViewQueries;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.Handler;
import io.userpipe.runtime.http.HttpService;
import io.userpipe.runtime.http.Request;
import io.userpipe.runtime.http.Response;
import io.userpipe.runtime.operators.OperatorAuth;
import io.userpipe.schemas.CommandIds;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * The review console: the pages compliance officers decide OFAC reviews from, served by the HTTP
 * edge under {@code /console} (docs/CONSOLE.md). Officers sign in with their operator credential;
 * the session is a signed cookie; the queue, the case and the decision read and write through the
 * same views and the same operator topic as the {@code /admin} API.
 */
public final class ReviewConsole {

  /** How long a console session lasts (ISO-8601; default 8 hours, a working day). */
  public static final String SESSION_TTL = "CONSOLE_SESSION_TTL";

  /** true: every console cookie is {@code Secure} (the console is reached over TLS). */
  public static final String SECURE_COOKIES = "CONSOLE_SECURE_COOKIES";

  private static final Pattern FORM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Map<String, String> ASSETS =
      Map.of(
          "console.css", "text/css; charset=utf-8", "console.js", "text/javascript; charset=utf-8");

  private final ConsoleCases cases;
  private final CommandGateway commands;
  private final ConsoleAuth auth;
  private final Clock clock;

  ReviewConsole(ConsoleCases cases, CommandGateway commands, ConsoleAuth auth, Clock clock) {
    this.cases = cases;
    this.commands = commands;
    this.auth = auth;
    this.clock = clock;
  }

  /**
   * The console of a projections instance. Its sessions are signed under a key derived from {@code
   * INTERNAL_TOKEN}, the secret every projections instance shares and nothing outside them holds.
   */
  public static ReviewConsole from(
      AppConfig config,
      ViewQueries views,
      UserReader reader,
      CommandGateway commands,
      OperatorAuth operators,
      Clock clock) {
    var sessions =
        new ConsoleSessions(
            ConsoleSessions.deriveKey(Secret.INTERNAL_TOKEN.require(config)),
            config.getDuration(SESSION_TTL, Duration.ofHours(8)));
    boolean secure = Boolean.parseBoolean(config.get(SECURE_COOKIES, "false"));
    return new ReviewConsole(
        new ConsoleCases(views, reader),
        commands,
        new ConsoleAuth(sessions, operators, secure, clock),
        clock);
  }

  public void mount(HttpService http) {
    http.route("GET", "/console", request -> Html.seeOther("/console/queue"));
    http.route("GET", "/console/sign-in", page(this::signInPage));
    http.route("POST", "/console/sign-in", page(this::signIn));
    http.route("POST", "/console/sign-out", page(this::signOut));
    http.route("GET", "/console/queue", page(this::queue));
    http.route("GET", "/console/users/{id}", page(this::caseFile));
    http.route("POST", "/console/users/{id}/decision", page(this::decide));
    http.route("GET", "/console/users/{id}/status", this::status);
    http.route("GET", "/console/assets/{file}", ReviewConsole::asset);
  }

  /**
   * A page's handler: without a session, back to sign-in (saying so when the session ended); a
   * refusal as a page with its status, not the API's JSON.
   */
  private Handler page(Handler handler) {
    return request -> {
      try {
        Response response = handler.handle(request);
        if (response.body() instanceof Response.Deferred later) {
          return Response.later(
              later
                  .answer()
                  .exceptionally(
                      e -> {
                        if (CommandGateway.unwrap(e) instanceof ApiException refused) {
                          return refusal(refused);
                        }
                        throw new CompletionException(e);
                      }));
        }
        return response;
      } catch (ConsoleAuth.SignInRequired e) {
        return Html.seeOther(e.expired() ? "/console/sign-in?expired=1" : "/console/sign-in")
            .withHeader("Set-Cookie", auth.clearCookie(request));
      } catch (ApiException e) {
        return refusal(e);
      }
    };
  }

  private static Response refusal(ApiException e) {
    String main =
        "<h1>"
            + (e.status() == 403 ? "Refused" : "Not possible")
            + "</h1><p role=\"alert\">"
            + Html.esc(e.getMessage())
            + "</p><p><a href=\"/console/queue\">Back to the review queue</a></p>";
    Response answer = Html.answer(e.status(), Html.page("Refused", null, null, main));
    for (var h : e.headers().entrySet()) {
      answer = answer.withHeader(h.getKey(), h.getValue());
    }
    return answer;
  }

  private Response signInPage(Request request) {
    boolean expired = request.query("expired").isPresent();
    return Html.answer(
        200, SignInPage.render(expired ? "Your session has ended. Sign in again." : null, null));
  }

  private Response signIn(Request request) {
    auth.checkOrigin(request);
    FormBody form = FormBody.of(request);
    String operatorId = form.text("operator_id").orElse("");
    String secret = form.get("secret").orElse("");
    Session session;
    try {
      session = auth.signIn(operatorId, secret);
    } catch (ApiException e) {
      if (e.status() != 401) {
        throw e;
      }
      return Html.answer(
          401, SignInPage.render("The operator id or the secret is wrong.", operatorId));
    }
    return Html.seeOther("/console/queue")
        .withHeader("Set-Cookie", auth.setCookie(request, session));
  }

  private Response signOut(Request request) {
    Session session = auth.require(request);
    auth.checkStateChange(request, session, FormBody.of(request));
    return Html.seeOther("/console/sign-in").withHeader("Set-Cookie", auth.clearCookie(request));
  }

  private Response queue(Request request) {
    Session session = auth.require(request);
    QueueFilter filter = QueueFilter.of(request);
    ConsoleCases.Scan scan = cases.queue(filter.statuses());
    var now = clock.instant();
    return Html.answer(
        200,
        QueuePage.render(
            filter,
            filter.apply(scan.rows(), now, scan.truncated()),
            now,
            session.operatorId(),
            auth.sessions().csrfToken(session)));
  }

  private Response caseFile(Request request) {
    Session session = auth.require(request);
    String userId = request.pathParam("id");
    var c =
        cases
            .caseFile(userId)
            .orElseThrow(() -> ApiException.notFound("no case for user " + userId));
    Long sent = request.query("sent").map(ReviewConsole::version).orElse(null);
    Long current = c.ofac().getScreeningVersion();
    // A decision sent about version n is recorded once the case is past n: until then, the page
    // says it waits for the event, and follows the status.
    Long awaiting = sent != null && current != null && current <= sent ? sent : null;
    return Html.answer(200, render(c, session, null, awaiting));
  }

  private String render(ConsoleCases.CaseFile c, Session session, String message, Long awaiting) {
    return CasePage.render(
        c,
        clock.instant(),
        session.operatorId(),
        auth.sessions().csrfToken(session),
        UUID.randomUUID().toString(),
        message,
        awaiting);
  }

  private Response decide(Request request) {
    Session session = auth.require(request);
    FormBody form = FormBody.of(request);
    auth.checkStateChange(request, session, form);
    String userId = request.pathParam("id");
    var c =
        cases
            .caseFile(userId)
            .orElseThrow(() -> ApiException.notFound("no case for user " + userId));
    Optional<String> decision =
        form.text("decision").filter(d -> d.equals("clear") || d.equals("confirm"));
    Optional<String> note = form.text("note").filter(n -> n.length() <= 2000);
    Optional<Long> version = form.text("screening_version").map(ReviewConsole::version);
    String formId = form.text("form_id").filter(f -> FORM_ID.matcher(f).matches()).orElse(null);
    if (decision.isEmpty() || note.isEmpty() || version.isEmpty() || formId == null) {
      String why =
          decision.isEmpty()
              ? "Choose clear or confirm."
              : note.isEmpty()
                  ? "A note is required (at most 2000 characters)."
                  : "The form is incomplete; reload the case.";
      return Html.answer(400, render(c, session, "Not recorded: " + why, null));
    }
    String operatorId = session.operatorId();
    // One form, one decision: the same form sent twice is the same command (decided once).
    String commandId = CommandIds.fromIdempotencyKey("operator:" + operatorId, "console:" + formId);
    var review =
        OfacReviewApi.review(
            commandId,
            userId,
            operatorId,
            decision.get().equals("clear"),
            note.get(),
            version.get(),
            clock);
    return Response.later(
        commands
            .submit(review)
            .thenApply(outcome -> decided(outcome, c, session, userId, version.get())));
  }

  private Response decided(
      CommandGateway.Outcome outcome,
      ConsoleCases.CaseFile c,
      Session session,
      String userId,
      long version) {
    if (outcome instanceof CommandGateway.Outcome.Decided decided
        && decided.result().getOutcome() == CommandOutcome.REJECTED) {
      CommandResult result = decided.result();
      int status = "conflict".equals(result.getRejection().getCode()) ? 409 : 400;
      var now = cases.caseFile(userId).orElse(c);
      String message =
          "conflict".equals(result.getRejection().getCode())
              ? "Not recorded: the case changed before your decision arrived (another decision or"
                  + " a new screening). "
                  + result.getRejection().getMessage()
              : "Not recorded: " + result.getRejection().getMessage();
      return Html.answer(status, render(now, session, message, null));
    }
    return Html.seeOther(
        "/console/users/" + URLEncoder.encode(userId, StandardCharsets.UTF_8) + "?sent=" + version);
  }

  /** What the case page follows while a decision waits for its event. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record StatusAnswer(String ofacStatus, Long screeningVersion, String reviewer) {}

  private Response status(Request request) {
    try {
      auth.require(request);
    } catch (ConsoleAuth.SignInRequired e) {
      throw new ApiException(401, "unauthorized", "sign in to the console");
    }
    String userId = request.pathParam("id");
    var change =
        cases.status(userId).orElseThrow(() -> ApiException.notFound("no case for user " + userId));
    return Response.ok(
            new StatusAnswer(
                change.getStatus(), change.getScreeningVersion(), change.getReviewer()))
        .withHeader("Cache-Control", "no-store");
  }

  private static Long version(String raw) {
    try {
      return Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      throw new ApiException(400, "invalid_field", "screening_version: a number");
    }
  }

  private static Response asset(Request request) throws IOException {
    String file = request.pathParam("file");
    String type = ASSETS.get(file);
    if (type == null) {
      throw ApiException.notFound("no such asset: " + file);
    }
    try (InputStream in = ReviewConsole.class.getResourceAsStream(file)) {
      return Response.raw(200, type, in.readAllBytes())
          .withHeader("Cache-Control", "no-cache")
          .withHeader("X-Content-Type-Options", "nosniff");
    }
  }
}
