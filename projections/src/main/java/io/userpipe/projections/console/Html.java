package io.userpipe.projections.console;

import io.userpipe.runtime.http.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The console's HTML: escaping, the page frame every page shares (language, title, landmarks, skip
 * link, the signed-in operator), and how an answer with a page is made. Pages are rendered on the
 * server; the only script is the one static file that follows a decision to its event.
 */
final class Html {

  private Html() {}

  /** Text or an attribute value, escaped. */
  static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    var out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A value, or a dash that says none (read out as "none"). */
  static String orNone(Object value) {
    return value == null || value.toString().isEmpty()
        ? "<span aria-label=\"none\">—</span>"
        : esc(value);
  }

  /**
   * A whole page: {@code operatorId} null on the sign-in page; {@code csrf} the session's token for
   * the sign-out form.
   */
  static String page(String title, String operatorId, String csrf, String main) {
    var nav = new StringBuilder();
    if (operatorId != null) {
      nav.append("<nav aria-label=\"Console\"><ul>")
          .append("<li><a href=\"/console/queue\">Review queue</a></li>")
          .append("</ul><p class=\"who\">Signed in as <strong>")
          .append(esc(operatorId))
          .append("</strong></p>")
          .append("<form method=\"post\" action=\"/console/sign-out\">")
          .append("<input type=\"hidden\" name=\"csrf\" value=\"")
          .append(esc(csrf))
          .append("\"><button type=\"submit\">Sign out</button></form></nav>");
    }
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>"
        + esc(title)
        + " · userpipe review console</title>"
        + "<link rel=\"stylesheet\" href=\"/console/assets/console.css\">"
        + "<script src=\"/console/assets/console.js\" defer></script></head><body>"
        + "<a class=\"skip\" href=\"#main\">Skip to content</a>"
        + "<header><p class=\"brand\">userpipe · OFAC review console</p>"
        + nav
        + "</header><main id=\"main\" tabindex=\"-1\">"
        + main
        + "</main></body></html>\n";
  }

  /** An answer with a page; never cached, never framed. */
  static Response answer(int status, String html) {
    return Response.raw(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8))
        .withHeader("Cache-Control", "no-store")
        .withHeader("X-Frame-Options", "DENY")
        .withHeader("X-Content-Type-Options", "nosniff")
        .withHeader("Referrer-Policy", "same-origin")
        .withHeader(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
                + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  }

  /** 303 to another console page. */
  static Response seeOther(String location) {
    return new Response(
        303, null, java.util.Map.of("Location", location, "Cache-Control", "no-store"));
  }

  /** An instant as text with its machine-readable form. */
  static String time(Instant at) {
    return at == null
        ? orNone(null)
        : "<time datetime=\"" + esc(at) + "\">" + esc(at.toString().replace('T', ' ')) + "</time>";
  }

  /** How long, in the largest units that say it: "3 d 4 h", "5 h 12 min", "40 s". */
  static String duration(Duration d) {
    long s = Math.max(0, d.getSeconds());
    long days = s / 86_400;
    long hours = s % 86_400 / 3_600;
    long minutes = s % 3_600 / 60;
    if (days > 0) {
      return days + " d " + hours + " h";
    }
    if (hours > 0) {
      return hours + " h " + minutes + " min";
    }
    if (minutes > 0) {
      return minutes + " min";
    }
    return s + " s";
  }
}
