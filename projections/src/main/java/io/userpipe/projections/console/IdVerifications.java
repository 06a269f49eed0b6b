package io.userpipe.projections.console;

import io.userpipe.schemas.ComplianceChange;

/**
 * The platform's ID verification of a case as the compliance history holds it: the provider and the
 * reference the platform gave, for the reviewer to look the verification up there, and when.
 */
final class IdVerifications {

  private IdVerifications() {}

  static String describe(ComplianceChange change) {
    String reference = change.getIdVerificationReference();
    String provider = change.getIdVerificationProvider();
    var s = new StringBuilder();
    if (reference == null && provider == null) {
      s.append("none given by the platform");
    } else {
      s.append("<span class=\"id\">")
          .append(Html.orNone(reference))
          .append("</span> at ")
          .append(Html.orNone(provider));
    }
    return s.append(", submitted ").append(Html.time(change.getOccurredAt())).toString();
  }
}
