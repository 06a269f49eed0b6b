package io.userpipe.projections.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.userpipe.projections.view.ComplianceHistoriesTestData;
import io.userpipe.schemas.OfacEvidence;
import io.userpipe.schemas.OfacStatusChanged;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The public compliance event of an OFAC status change: the list's data and ids, no person. */
class FoldOfacScreeningTest {
  private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void theEvidenceSaysWhichOfThePersonsNamesMatchedWithoutTheName() {
    // given a status change raised by a W-9's business name
    OfacStatusChanged change =
        ComplianceHistoriesTestData.ofac(
            "o1", "unflagged", "id_verification_required", "screening", T);
    OfacEvidence entry = change.getEvidence().get(0);
    change.setEvidence(
        List.of(OfacEvidence.newBuilder(entry).setNameSource("w9_business").build()));
    // when its compliance event's cause is made
    Map<String, String> evidence = FoldOfacScreening.cause(change).evidence();
    // then the entry, and the name's source, never the name
    assertEquals(
        Map.of(
            "list_version", "list-v1",
            "match_0_ent_num", "22790",
            "match_0_sdn_name", "MADURO MOROS, Nicolas",
            "match_0_matched_name", "MADURO MOROS, Nicolas",
            "match_0_name_source", "w9_business",
            "match_0_programs", "VENEZUELA",
            "match_0_score", "0.97"),
        evidence,
        "only the list's data, ids and the source");
  }

  @Test
  void theEvidenceSaysWhenADateOfBirthWouldHelpAsAKindOfFactNotTheData() {
    // given a status change whose finding was made on the name alone
    OfacStatusChanged change =
        ComplianceHistoriesTestData.ofac(
            "o1", "unflagged", "id_verification_required", "screening", T);
    OfacEvidence entry = change.getEvidence().get(0);
    change.setEvidence(
        List.of(OfacEvidence.newBuilder(entry).setHint("date_of_birth_would_help").build()));
    // when its compliance event's cause is made, then the hint is in it, under its match
    assertEquals(
        "date_of_birth_would_help", FoldOfacScreening.cause(change).evidence().get("match_0_hint"));
  }
}
