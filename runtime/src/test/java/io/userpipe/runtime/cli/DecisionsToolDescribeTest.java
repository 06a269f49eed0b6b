package io.userpipe.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.userpipe.schemas.DecisionSubject;
import io.userpipe.schemas.ScreeningName;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How bin/decisions shows whom a decision was about. */
class DecisionsToolDescribeTest {

  @Test
  void anOfacSubjectShowsTheProfileAndEachTaxFormsNameWithItsSource() {
    var subject =
        DecisionSubject.newBuilder()
            .setName("Grace Hopper")
            .setDateOfBirth("1906-12-09")
            .setFormNames(
                List.of(
                    new ScreeningName("w9_individual", "Grace Hopper", false, "1906-12-09", "US"),
                    new ScreeningName("w9_business", "Banco Nacional de Cuba", true, null, null)))
            .build();
    assertEquals(
        "Grace Hopper, born 1906-12-09, w9_individual Grace Hopper born 1906-12-09 country US,"
            + " w9_business Banco Nacional de Cuba",
        DecisionsTool.describe(subject));
  }

  @Test
  void aTinSubjectIsShownAsBefore() {
    var subject =
        DecisionSubject.newBuilder()
            .setName("Ada Lovelace")
            .setTinType("ssn")
            .setTinLastFour("8765")
            .build();
    assertEquals("Ada Lovelace, ssn ending 8765", DecisionsTool.describe(subject));
  }
}
