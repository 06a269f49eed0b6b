package io.userpipe.ofac.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.userpipe.ofac.match.ScreeningMatch;
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

  /** One listed entity with its score ({@code match}) and the name score alone. */
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
      List<String> countries) {

    static Entity of(ScreeningMatch m) {
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
          m.entry().countries());
    }
  }

  /** {@code POST /admin/ofac/lists}: the version published. */
  record ListLoaded(String version, String label, int entries, List<String> files) {}
}
