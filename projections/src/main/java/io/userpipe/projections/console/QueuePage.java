package io.userpipe.projections.console;

import static io.userpipe.projections.console.Html.esc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The review queue: the filters, the waiting users oldest first with their wait, the pages. */
final class QueuePage {

  private QueuePage() {}

  static String render(
      QueueFilter filter, QueueFilter.QueuePage page, Instant now, String operatorId, String csrf) {
    var main = new StringBuilder("<h1>Review queue</h1>");
    main.append(filters(filter));
    main.append("<table class=\"queue\"><caption>")
        .append(page.total())
        .append(page.total() == 1 ? " user" : " users")
        .append(" waiting, oldest first. Page ")
        .append(page.page())
        .append(" of ")
        .append(page.pages())
        .append(".")
        .append(
            page.truncated()
                ? " Only the first " + ConsoleCases.MAX_SCANNED + " queued users were looked at."
                : "")
        .append("</caption><thead><tr>")
        .append("<th scope=\"col\">User</th><th scope=\"col\">Status</th>")
        .append("<th scope=\"col\">Waiting</th><th scope=\"col\">Since</th>")
        .append("<th scope=\"col\">List version</th><th scope=\"col\">Entries</th>")
        .append("<th scope=\"col\">Best match</th><th scope=\"col\">Platforms</th>")
        .append("</tr></thead><tbody>");
    if (page.rows().isEmpty()) {
      main.append("<tr><td colspan=\"8\">No user waits with these filters.</td></tr>");
    }
    for (QueueRow row : page.rows()) {
      main.append("<tr data-user=\"")
          .append(esc(row.userId()))
          .append("\"><th scope=\"row\"><a href=\"/console/users/")
          .append(esc(URLEncoder.encode(row.userId(), StandardCharsets.UTF_8)))
          .append("\">")
          .append(esc(row.userId()))
          .append("</a></th><td>")
          .append(status(row.status()))
          .append("</td><td>")
          .append(Html.duration(Duration.between(row.waitingSince(), now)))
          .append("</td><td>")
          .append(Html.time(row.waitingSince()))
          .append("</td><td>")
          .append(Html.orNone(row.listVersion()))
          .append("</td><td>")
          .append(row.entries())
          .append("</td><td>")
          .append(
              row.topEntry() == null
                  ? Html.orNone(null)
                  : esc(row.topEntry()) + " (" + score(row.topScore()) + ")")
          .append("</td><td>")
          .append(
              row.platforms().isEmpty()
                  ? Html.orNone(null)
                  : esc(String.join(", ", row.platforms())))
          .append("</td></tr>");
    }
    main.append("</tbody></table>");
    main.append(pages(filter, page));
    return Html.page("Review queue", operatorId, csrf, main.toString());
  }

  static String status(String status) {
    return "<span class=\"status status-"
        + esc(status)
        + "\">"
        + esc(status.replace('_', ' '))
        + "</span>";
  }

  static String score(double score) {
    return String.format(Locale.ROOT, "%.2f", score);
  }

  private static String filters(QueueFilter f) {
    var s = new StringBuilder("<form method=\"get\" action=\"/console/queue\" class=\"filters\">");
    s.append("<fieldset><legend>Filters</legend>");
    s.append(
        "<div class=\"field\"><label for=\"status\">Status</label><select id=\"status\" name=\"status\">");
    for (List<String> o :
        List.of(
            List.of("in_review", "in review"),
            List.of("id_verification_required", "ID verification required"),
            List.of("any", "either"))) {
      boolean selected = o.get(0).equals(f.status() == null ? "any" : f.status());
      s.append(option(o.get(0), o.get(1), selected));
    }
    s.append("</select></div>");
    s.append("<div class=\"field\"><label for=\"platform\">Platform id</label>")
        .append("<input id=\"platform\" name=\"platform\" value=\"")
        .append(esc(f.platform()))
        .append("\"></div>");
    s.append("<div class=\"field\"><label for=\"list_version\">List version</label>")
        .append("<input id=\"list_version\" name=\"list_version\" value=\"")
        .append(esc(f.listVersion()))
        .append("\"></div>");
    s.append(
        "<div class=\"field\"><label for=\"min_age\">Waiting</label><select id=\"min_age\" name=\"min_age\">");
    s.append(option("", "any time", f.minAge() == null));
    for (QueueFilter.Age age : QueueFilter.AGES) {
      s.append(option(age.iso(), age.label(), age.iso().equals(f.minAgeIso())));
    }
    s.append("</select></div>");
    s.append("<button type=\"submit\">Apply filters</button></fieldset></form>");
    return s.toString();
  }

  private static String option(String value, String label, boolean selected) {
    return "<option value=\""
        + esc(value)
        + "\""
        + (selected ? " selected" : "")
        + ">"
        + esc(label)
        + "</option>";
  }

  private static String pages(QueueFilter f, QueueFilter.QueuePage page) {
    if (page.pages() <= 1) {
      return "";
    }
    var s = new StringBuilder("<nav aria-label=\"Queue pages\" class=\"pages\"><ul>");
    if (page.page() > 1) {
      s.append("<li><a rel=\"prev\" href=\"")
          .append(esc(link(f, page.page() - 1)))
          .append("\">Previous page</a></li>");
    }
    s.append("<li aria-current=\"page\">Page ")
        .append(page.page())
        .append(" of ")
        .append(page.pages())
        .append("</li>");
    if (page.page() < page.pages()) {
      s.append("<li><a rel=\"next\" href=\"")
          .append(esc(link(f, page.page() + 1)))
          .append("\">Next page</a></li>");
    }
    return s.append("</ul></nav>").toString();
  }

  private static String link(QueueFilter f, int page) {
    var s =
        new StringBuilder("/console/queue?status=").append(f.status() == null ? "any" : f.status());
    if (f.platform() != null) {
      s.append("&platform=").append(URLEncoder.encode(f.platform(), StandardCharsets.UTF_8));
    }
    if (f.listVersion() != null) {
      s.append("&list_version=").append(URLEncoder.encode(f.listVersion(), StandardCharsets.UTF_8));
    }
    if (f.minAgeIso() != null) {
      s.append("&min_age=").append(f.minAgeIso());
    }
    return s.append("&page=").append(page).toString();
  }
}
