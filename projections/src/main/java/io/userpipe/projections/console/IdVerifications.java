package io.userpipe.projections.console;

import io.userpipe.schemas.ComplianceChange;

/**
 * The platform's ID verification of a case as the compliance history holds it: the change it made
 * (in review) and its command. The provider's reference travels on the command only, not yet on the
 * status change: the console shows the command and says so (docs/CONSOLE.md, "Open").
 */
final class IdVerifications {

  private IdVerifications() {}

  static String describe(ComplianceChange change) {
    return "submitted "
        + Html.time(change.getOccurredAt())
        + ", command <span class=\"id\">"
        + Html.orNone(change.getCommandId())
        + "</span> (the provider's reference is not recorded on the status change)";
  }
}
