package io.userpipe.ofac.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.userpipe.ofac.match.ScreeningMatch;
import io.userpipe.schemas.vocabulary.OfacHint;
import java.util.List;

/** The JSON answers of the OFAC routes, one record per shape (described in openapi.yaml). */
final class OfacAnswers {
  private OfacAnswers() {}

  /** {@code GET /v2/ofac/search}: the list in force and the entities at or above min_match. */
  record Search(
      @JsonProperty("list_version") String listVersion,
      @JsonProperty("list_label") String listLabel,
      @JsonProperty("min_match") double minMatch,
      List<Entity> entities) {}

  /**
   * One listed entity with its score ({@code match}) and the name score alone; {@code hint} is
   * {@code date_of_birth_would_help} when the search gave no date of birth and one would decide the
   * match at the screening threshold ({@code ProfileAgreement#birthDateWouldDecide}), else null.
   */
  record Entity(
      @JsonProperty("ent_num") int entNum,
      String name,
      String type,
      List<String> programs,
      double match,
      @JsonProperty("name_score") double nameScore,
      @JsonProperty("matched_name") String matchedName,
      @JsonProperty("matched_kind") String matchedKind,
      @JsonProperty("birth_dates") List<String> birthDates,
      List<String> countries,
      String hint) {

    static Entity of(ScreeningMatch m, OfacHint hint) {
      return new Entity(
          m.entry().entNum(),
          m.entry().name(),
          m.entry().type().label(),
          m.entry().programs(),
          Math.round(m.score() * 1000) / 1000.0,
          Math.round(m.nameScore() * 1000) / 1000.0,
          m.matchedName(),
          m.matchedKind(),
          m.entry().birthDates(),
          m.entry().countries(),
          hint == null ? null : hint.wire());
    }
  }

  /** {@code POST /admin/ofac/lists}: the version published. */
  record ListLoaded(String version, String label, int entries, List<String> files) {}
}
