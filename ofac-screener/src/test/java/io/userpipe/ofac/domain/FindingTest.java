package io.userpipe.ofac.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Given what each of a person's names found, then one finding per entry, best first. */
class FindingTest {
  private static Finding found(int entNum, double score, String source) {
    return new Finding(
        entNum,
        "SDN",
        "SDN",
        "primary",
        List.of("SDGT"),
        score,
        "v1",
        "f",
        source,
        null,
        List.of());
  }

  @Test
  void anEntryTwoNamesMatchIsOneFindingWithTheNameThatMatchedItBest() {
    // given the profile's name and a W-9's name both matching entry 1, the W-9's better
    Finding profile = found(1, 0.88, ScreenedName.PROFILE);
    Finding w9 = found(1, 0.95, ScreenedName.W9_INDIVIDUAL);
    Finding entity = found(2, 0.91, ScreenedName.W9_BUSINESS);
    // when the findings are merged
    List<Finding> merged = Finding.bestPerEntry(List.of(profile, entity, w9));
    // then one per entry, best first, each naming the name that matched it best
    assertEquals(List.of(w9, entity), merged);
  }

  @Test
  void equalScoresKeepTheOrderTheNamesWereScreenedIn() {
    Finding a = found(1, 0.9, ScreenedName.PROFILE);
    Finding b = found(2, 0.9, ScreenedName.W8BEN);
    Finding again = found(1, 0.9, ScreenedName.W8BEN);
    assertEquals(List.of(a, b), Finding.bestPerEntry(List.of(a, b, again)));
  }
}
