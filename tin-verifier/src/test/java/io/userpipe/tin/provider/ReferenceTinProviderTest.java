package io.userpipe.tin.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceTinProviderTest {

  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

  private static ReferenceTinProvider at(Instant now, String slowFraction) {
    return ReferenceTinProvider.fromConfig(
        Map.of(
            "TIN_PROVIDER_LATENCY", "PT2S",
            "TIN_PROVIDER_SLOW_FRACTION", slowFraction,
            "TIN_PROVIDER_SLOW_LATENCY", "PT2H"),
        Clock.fixed(now, ZoneOffset.UTC));
  }

  private static TinMatchRequest request(
      String id, TinType type, String tin, String name, boolean business) {
    return new TinMatchRequest(id, type, tin, name, business, T0);
  }

  private static int code(TinMatchAnswer answer) {
    return assertInstanceOf(TinMatchAnswer.Answered.class, answer).irsCode();
  }

  @Test
  void aKnownPairMatches() {
    var provider = at(T0.plusSeconds(3), "0");
    assertEquals(
        0, code(provider.match(request("r1", TinType.SSN, "521438765", "Ada Lovelace", false))));
    assertEquals(
        0,
        code(
            provider.match(
                request("r2", TinType.EIN, "417654321", "Analytical Engines LLC", true))));
  }

  @Test
  void theNameIsMatchedByItsNameControl() {
    var provider = at(T0.plusSeconds(3), "0");
    assertEquals(
        0,
        code(
            provider.match(
                request("r1", TinType.SSN, "521438765", "Augusta Ada Lovelace", false))));
    assertEquals(
        3, code(provider.match(request("r2", TinType.SSN, "521438765", "Ada Byron", false))));
  }

  @Test
  void anUnknownTinWasNotIssued() {
    assertEquals(
        2,
        code(
            at(T0.plusSeconds(3), "0")
                .match(request("r1", TinType.SSN, "111223333", "Ada Lovelace", false))));
  }

  @Test
  void anUnknownTypeIsAnsweredWithTheTypeThatMatched() {
    var provider = at(T0.plusSeconds(3), "0");
    assertEquals(
        6,
        code(provider.match(request("r1", TinType.UNKNOWN, "521438765", "Ada Lovelace", false))));
    assertEquals(
        7,
        code(
            provider.match(
                request("r2", TinType.UNKNOWN, "417654321", "Analytical Engines", true))));
  }

  @Test
  void answersComeAfterTheirLatencyAndSomeOnlyAfterHours() {
    var early =
        at(T0.plusSeconds(1), "0")
            .match(request("r1", TinType.SSN, "521438765", "Ada Lovelace", false));
    assertEquals(
        Duration.ofSeconds(1), assertInstanceOf(TinMatchAnswer.NotYet.class, early).retryAfter());

    var allSlow = request("r1", TinType.SSN, "521438765", "Ada Lovelace", false);
    assertInstanceOf(
        TinMatchAnswer.NotYet.class, at(T0.plus(Duration.ofMinutes(119)), "1").match(allSlow));
    assertEquals(0, code(at(T0.plus(Duration.ofHours(2)), "1").match(allSlow)));
  }

  @Test
  void roughlyTheConfiguredFractionIsSlow() {
    var provider = at(T0.plusSeconds(3), "0.05");
    int slow = 0;
    for (int i = 0; i < 2000; i++) {
      if (provider.match(request("req-" + i, TinType.SSN, "521438765", "Ada Lovelace", false))
          instanceof TinMatchAnswer.NotYet) {
        slow++;
      }
    }
    assertTrue(slow > 40 && slow < 180, "slow answers: " + slow);
  }

  @Test
  void aMalformedDataFileIsRefusedNamingTheLine() {
    var bad =
        "tin,type,name\n521438765,ssn,Ada\n12345,ssn,Short\n".getBytes(StandardCharsets.UTF_8);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReferenceTinProvider.parse(new ByteArrayInputStream(bad), "f.csv"));
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
  }

  @Test
  void theShippedDataFileLoads() {
    assertEquals(
        0,
        code(
            at(T0.plusSeconds(3), "0")
                .match(request("r1", TinType.ITIN, "912743210", "Grace Hopper", false))));
  }
}
