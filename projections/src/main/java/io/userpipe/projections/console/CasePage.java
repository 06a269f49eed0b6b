package io.userpipe.projections.console;

import static io.userpipe.projections.console.Html.esc;
import static io.userpipe.projections.console.Html.orNone;

import io.userpipe.projections.view.ComplianceHistories;
import io.userpipe.projections.view.Connections;
import io.userpipe.schemas.ComplianceChange;
import io.userpipe.schemas.ComplianceView;
import io.userpipe.schemas.OfacEvidence;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.UserProfile;
import io.userpipe.schemas.UserView;
import io.userpipe.schemas.vocabulary.OfacHint;
import io.userpipe.schemas.vocabulary.OfacStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One user's case: the profile fields a reviewer weighs (never a TIN: its last four at most), every
 * listed entry matched side by side with the user, the compliance history, and, while the user is
 * in review, the decision form. What it shows of the status comes from the views, so a decision is
 * shown once its event is folded, never before.
 */
final class CasePage {

  private CasePage() {}

  /**
   * {@code message} a notice about the last decision sent (a conflict, a missing note), or null;
   * {@code awaiting} the screening version a decision just sent was about, while its event has not
   * come (the page then follows the status and reloads when it changes), or null.
   */
  static String render(
      ConsoleCases.CaseFile c,
      Instant now,
      String operatorId,
      String csrf,
      String formId,
      String message,
      Long awaiting) {
    OfacStatusChanged ofac = c.ofac();
    var main = new StringBuilder();
    main.append("<h1>Case of user <span class=\"id\">")
        .append(esc(c.userId()))
        .append("</span></h1>");
    main.append("<p class=\"summary\">OFAC status ")
        .append(QueuePage.status(ofac.getStatus()))
        .append(", screening version ")
        .append(orNone(ofac.getScreeningVersion()))
        .append(", list version ")
        .append(orNone(ofac.getListVersion()))
        .append(". In this status for ")
        .append(Html.duration(Duration.between(c.waitingSince(), now)))
        .append(" (since ")
        .append(Html.time(c.waitingSince()))
        .append(").</p>");
    if (message != null) {
      main.append("<p class=\"notice\" role=\"alert\">").append(esc(message)).append("</p>");
    }
    if (ofac.getReviewer() != null && "review".equals(ofac.getReason())) {
      main.append("<p class=\"decided\" id=\"decided\">Decided: <strong>")
          .append(
              esc(ofac.getStatus().equals(OfacStatus.UNFLAGGED.wire()) ? "cleared" : "confirmed"))
          .append("</strong> by ")
          .append(esc(ofac.getReviewer()))
          .append(" at ")
          .append(Html.time(ofac.getOccurredAt()))
          .append(". Note: ")
          .append(orNone(ofac.getNote()))
          .append("</p>");
    }
    main.append("<div id=\"decision-status\" role=\"status\" aria-live=\"polite\"");
    if (awaiting != null) {
      main.append(" data-user=\"")
          .append(esc(c.userId()))
          .append("\" data-version=\"")
          .append(awaiting)
          .append(
              "\">Decision sent. Waiting for its event in the log; this page updates when it"
                  + " is recorded.");
    } else {
      main.append(">");
    }
    main.append("</div>");
    main.append(profile(c));
    main.append(entries(c));
    main.append(history(c));
    main.append(decision(c, csrf, formId));
    return Html.page("Case " + c.userId(), operatorId, csrf, main.toString());
  }

  private static String profile(ConsoleCases.CaseFile c) {
    UserView v = c.user().view();
    UserProfile p = c.user().profile();
    ComplianceView compliance = v.getCompliance();
    var s =
        new StringBuilder(
            "<section aria-labelledby=\"profile-h\"><h2 id=\"profile-h\">Profile</h2><dl class=\"profile\">");
    item(s, "Name", p == null ? orNone(null) : esc(p.getFirstName() + " " + p.getLastName()));
    item(s, "Date of birth", p == null ? orNone(null) : orNone(p.getDateOfBirth()));
    item(s, "Email", p == null ? orNone(null) : orNone(p.getEmail()));
    item(
        s,
        "Phone",
        p == null || p.getPhone() == null
            ? orNone(null)
            : esc("+" + p.getPhone().getCountryCode() + " " + p.getPhone().getNationalNumber()));
    item(
        s,
        "Address country",
        p == null || p.getAddress() == null ? orNone(null) : orNone(p.getAddress().getCountry()));
    item(s, "User status", esc(v.getStatus()) + (v.getDeleted() ? " (deleted)" : ""));
    item(s, "Created", Html.time(v.getCreated()));
    item(s, "Platforms", platforms(v));
    item(
        s,
        "TIN",
        compliance.getTinLast4() == null
            ? "not collected"
            : "last four <span class=\"id\">" + esc(compliance.getTinLast4()) + "</span>");
    item(s, "TIN verification", orNone(compliance.getTaxIdVerification()));
    item(s, "ID verified", compliance.getIdVerified() ? "yes" : "no");
    item(s, "ID verification reference", idVerification(c));
    return s.append("</dl></section>").toString();
  }

  private static String platforms(UserView v) {
    var s = new StringBuilder();
    for (var connection : Connections.of(v)) {
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append(esc(connection.getPlatformId()));
      if (Connections.PENDING.equals(connection.getStatus())) {
        s.append(" (pending)");
      }
    }
    return s.length() == 0 ? orNone(null) : s.toString();
  }

  /** The platform's ID verification: its provider and reference, as the history recorded them. */
  private static String idVerification(ConsoleCases.CaseFile c) {
    for (int i = c.history().size() - 1; i >= 0; i--) {
      ComplianceChange change = c.history().get(i);
      if ("id_verification".equals(change.getReason())) {
        return IdVerifications.describe(change);
      }
    }
    return "none submitted";
  }

  private static void item(StringBuilder s, String term, String html) {
    s.append("<div><dt>").append(esc(term)).append("</dt><dd>").append(html).append("</dd></div>");
  }

  private static String entries(ConsoleCases.CaseFile c) {
    var s =
        new StringBuilder(
            "<section aria-labelledby=\"entries-h\"><h2 id=\"entries-h\">Matched entries</h2>");
    var evidence = c.ofac().getEvidence();
    if (evidence.isEmpty()) {
      s.append("<p>No entry matched.</p>");
    }
    UserProfile p = c.user().profile();
    String userName = p == null ? null : p.getFirstName() + " " + p.getLastName();
    int n = 0;
    for (OfacEvidence e : evidence) {
      n++;
      Map<String, String> marks = NameMarks.matched(e.getTokens());
      boolean profileName = ComplianceHistories.nameSource(e).equals("profile");
      s.append("<table class=\"entry\"><caption>Entry ")
          .append(n)
          .append(": SDN ")
          .append(e.getEntNum())
          .append(", ")
          .append(esc(e.getSdnName()))
          .append("</caption><thead><tr><td></td><th scope=\"col\">User</th>")
          .append("<th scope=\"col\">Listed entry</th></tr></thead><tbody>");
      row(
          s,
          "Name",
          profileName
              ? NameMarks.mark(userName, marks)
              : "the " + esc(ComplianceHistories.nameSource(e)) + " name (sealed; not shown)",
          NameMarks.mark(e.getMatchedName(), marks)
              + " <span class=\"kind\">("
              + esc(e.getMatchedKind())
              + ")</span>");
      row(s, "How the tokens matched", orNone(null), tokens(e));
      row(
          s,
          "Date of birth",
          p == null ? orNone(null) : orNone(p.getDateOfBirth()),
          EntryFacts.datesOfBirth(e));
      row(
          s,
          "Country",
          p == null || p.getAddress() == null ? orNone(null) : orNone(p.getAddress().getCountry()),
          EntryFacts.countries(e));
      row(s, "Programs", orNone(null), esc(String.join(", ", e.getPrograms())));
      row(s, "Score", orNone(null), QueuePage.score(e.getScore()));
      row(s, "List version", orNone(null), esc(e.getListVersion()));
      row(
          s,
          "Still matching",
          orNone(null),
          e.getLapsed() == null ? "yes" : "no: " + esc(e.getLapsed()));
      if (OfacHint.DATE_OF_BIRTH_WOULD_HELP.wire().equals(e.getHint())) {
        // the name alone could not decide: the match was made without a date of birth
        row(
            s,
            "Would help",
            "a date of birth: the match was made without one",
            "the entry's dates of birth, above");
      }
      s.append("</tbody></table>");
    }
    return s.append("</section>").toString();
  }

  private static String tokens(OfacEvidence e) {
    if (e.getTokens().isEmpty()) {
      return "not recorded";
    }
    var s = new StringBuilder("<ul class=\"tokens\">");
    for (var t : e.getTokens()) {
      s.append("<li>")
          .append(esc(t.getListedToken()))
          .append(": ")
          .append(esc(t.getHow()))
          .append(" (")
          .append(QueuePage.score(t.getSimilarity()))
          .append(")</li>");
    }
    return s.append("</ul>").toString();
  }

  private static void row(StringBuilder s, String head, String user, String entry) {
    s.append("<tr><th scope=\"row\">")
        .append(esc(head))
        .append("</th><td>")
        .append(user)
        .append("</td><td>")
        .append(entry)
        .append("</td></tr>");
  }

  private static String history(ConsoleCases.CaseFile c) {
    var s =
        new StringBuilder(
            "<section aria-labelledby=\"history-h\"><h2 id=\"history-h\">Compliance history</h2>");
    s.append(
            "<table class=\"history\"><caption>Every OFAC and TIN status change, oldest first</caption>")
        .append("<thead><tr><th scope=\"col\">When</th><th scope=\"col\">Kind</th>")
        .append("<th scope=\"col\">From</th><th scope=\"col\">To</th><th scope=\"col\">Reason</th>")
        .append("<th scope=\"col\">By</th><th scope=\"col\">Note</th></tr></thead><tbody>");
    for (ComplianceChange change : c.history()) {
      s.append("<tr><td>")
          .append(Html.time(change.getOccurredAt()))
          .append("</td><td>")
          .append(esc(change.getKind()))
          .append("</td><td>")
          .append(orNone(change.getPreviousStatus()))
          .append("</td><td>")
          .append(esc(change.getStatus()))
          .append("</td><td>")
          .append(esc(change.getReason()))
          .append("</td><td>")
          .append(change.getReviewer() == null ? orNone(null) : esc(change.getReviewer()))
          .append("</td><td>")
          .append(orNone(change.getNote()))
          .append("</td></tr>");
    }
    return s.append("</tbody></table></section>").toString();
  }

  private static String decision(ConsoleCases.CaseFile c, String csrf, String formId) {
    var s =
        new StringBuilder(
            "<section aria-labelledby=\"decide-h\"><h2 id=\"decide-h\">Decision</h2>");
    String status = c.ofac().getStatus();
    if (!OfacStatus.IN_REVIEW.wire().equals(status)) {
      s.append("<p>")
          .append(
              OfacStatus.ID_VERIFICATION_REQUIRED.wire().equals(status)
                  ? "Waiting for the platform's ID verification: a decision is taken once the user"
                      + " is in review."
                  : "Nothing to decide: the user is " + esc(status) + ".")
          .append("</p></section>");
      return s.toString();
    }
    s.append("<form method=\"post\" action=\"/console/users/")
        .append(
            esc(java.net.URLEncoder.encode(c.userId(), java.nio.charset.StandardCharsets.UTF_8)))
        .append("/decision\" class=\"decide\">")
        .append("<input type=\"hidden\" name=\"csrf\" value=\"")
        .append(esc(csrf))
        .append("\">")
        .append("<input type=\"hidden\" name=\"form_id\" value=\"")
        .append(esc(formId))
        .append("\">")
        .append("<input type=\"hidden\" name=\"screening_version\" value=\"")
        .append(esc(c.ofac().getScreeningVersion()))
        .append("\">")
        .append("<fieldset><legend>Outcome</legend>")
        .append(
            "<div class=\"choice\"><input type=\"radio\" id=\"decision-clear\" name=\"decision\" value=\"clear\" required>")
        .append(
            "<label for=\"decision-clear\">Clear: not the listed person (unflagged)</label></div>")
        .append(
            "<div class=\"choice\"><input type=\"radio\" id=\"decision-confirm\" name=\"decision\" value=\"confirm\">")
        .append(
            "<label for=\"decision-confirm\">Confirm: the listed person (flagged)</label></div>")
        .append("</fieldset>")
        .append("<div class=\"field\"><label for=\"note\">Note (required)</label>")
        .append(
            "<textarea id=\"note\" name=\"note\" rows=\"4\" required maxlength=\"2000\"></textarea></div>")
        .append("<button type=\"submit\">Record decision</button></form></section>");
    return s.toString();
  }
}
