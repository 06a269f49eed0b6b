package io.userpipe.projections.console;

/** The sign-in page: an operator's id and secret (the credential {@code bin/operators} made). */
final class SignInPage {

  private SignInPage() {}

  /** {@code message} a reason to sign in again (an expired session, a wrong secret), or null. */
  static String render(String message, String operatorId) {
    var main = new StringBuilder("<h1>Sign in</h1>");
    if (message != null) {
      main.append("<p class=\"notice\" role=\"alert\">").append(Html.esc(message)).append("</p>");
    }
    main.append(
            "<p>Sign in with your own operator credential. Decisions you take are recorded under"
                + " your operator id.</p>")
        .append("<form method=\"post\" action=\"/console/sign-in\" class=\"sign-in\">")
        .append("<div class=\"field\"><label for=\"operator_id\">Operator id</label>")
        .append(
            "<input id=\"operator_id\" name=\"operator_id\" autocomplete=\"username\" required"
                + " value=\"")
        .append(Html.esc(operatorId))
        .append("\"></div>")
        .append("<div class=\"field\"><label for=\"secret\">Secret</label>")
        .append(
            "<input id=\"secret\" name=\"secret\" type=\"password\""
                + " autocomplete=\"current-password\" required></div>")
        .append("<button type=\"submit\">Sign in</button></form>");
    return Html.page("Sign in", null, null, main.toString());
  }
}
