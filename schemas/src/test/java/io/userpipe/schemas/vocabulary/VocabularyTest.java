package io.userpipe.schemas.vocabulary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class VocabularyTest {

  @Test
  void everyRejectionCodeReadsBackFromItsWireNameAndAnUnknownOneIsEmpty() {
    for (RejectionCode code : RejectionCode.values()) {
      assertEquals(Optional.of(code), RejectionCode.of(code.wire()));
      assertTrue(code.httpStatus() >= 400 && code.httpStatus() < 500, code.wire());
    }
    assertEquals("connection_pending", RejectionCode.CONNECTION_PENDING.wire());
    assertEquals(Optional.empty(), RejectionCode.of("a_code_of_a_newer_version"));
  }

  @Test
  void theOfacStatusesAreDotsFourInTheirOrderOfSeverity() {
    assertEquals("id_verification_required", OfacStatus.ID_VERIFICATION_REQUIRED.wire());
    assertEquals(OfacStatus.IN_REVIEW, OfacStatus.of("in_review"));
    assertTrue(OfacStatus.FLAGGED.compareTo(OfacStatus.IN_REVIEW) > 0);
    assertEquals(4, OfacStatus.values().length);
  }
}
