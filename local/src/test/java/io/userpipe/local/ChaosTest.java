package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kill -9 under load: the broker and each service in its own OS process, and a schema-registry
 * outage of 30 s. The full run (100,000 commands, two instances of every service, 12 kills, a
 * broker bounce, on a broker with authentication and ACLs) is tagged slow: {@code mvn -B verify
 * -Pslow}. So is a short run (one instance each, no authentication), run on its own in about 3
 * minutes.
 */
class ChaosTest {

  private static void assertNoViolation(ChaosRun.Report report, int commands, int kills) {
    System.out.println("chaos report: " + report);
    assertTrue(report.commandsSent() >= commands, "commands sent: " + report);
    assertTrue(report.kills() >= kills, "kills: " + report);
    assertEquals(1, report.registryOutages(), "registry outages: " + report);
    assertTrue(report.viewsCompared() > 0, "views compared: " + report);
    assertTrue(
        report.tinsSubmitted() > 0 && report.codesSent() > 0, "secrets to look for: " + report);
    assertEquals(0, report.violations(), report.toString());
  }

  /**
   * The short run (about 3 minutes: every service in its own process, each restart a JVM start on 2
   * cores) is tagged slow too, so that the default suite stays near 15 minutes: {@code mvn -B
   * verify -pl local -am -Pslow -Dtest='ChaosTest#killing*'}.
   */
  @Test
  @Tag("slow")
  void killingProcessesUnderLoadLosesNoCommandAndDoublesNothing() throws Exception {
    var report = new ChaosRun(new ChaosRun.Settings(2_000, 3, false, 42, 1, false)).run();
    assertNoViolation(report, 2_000, 3);
  }

  /**
   * On a broker that authenticates and authorizes: each service with its own login and only its own
   * ACLs ({@code bin/acls}), through the kills and the broker bounce.
   */
  @Test
  @Tag("slow")
  void aHundredThousandCommandsTwelveKillsAndABrokerBounceLoseNothingAndDoubleNothing()
      throws Exception {
    var report = new ChaosRun(new ChaosRun.Settings(100_000, 12, true, 7, 2, true)).run();
    assertNoViolation(report, 100_000, 12);
    assertEquals(1, report.brokerBounces());
    assertEquals(1, report.takeovers(), "a killed instance's tasks moved to the other: " + report);
  }
}
