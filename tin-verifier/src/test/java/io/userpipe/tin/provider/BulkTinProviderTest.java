package io.userpipe.tin.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkTinProviderTest {

  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

  @TempDir Path dir;

  private static TinMatchRequest request(String id, TinType type, String tin, String name) {
    return new TinMatchRequest(id, type, tin, name, type == TinType.EIN, T0);
  }

  @Test
  void writesTheBulkRequestFormat() {
    assertEquals(
        "2;521438765;ADA LOVELACE;r1\r\n",
        IrsBulkRequestFile.line(request("r1", TinType.SSN, "521438765", "Ada Lovelace")));
    assertEquals(
        "1;417654321;ANALYTICAL ENGINES LLC;r2\r\n",
        IrsBulkRequestFile.line(
            request("r2", TinType.EIN, "417654321", "Analytical Engines, LLC.")));
    assertEquals(
        "3;912743210;GRACE HOPPER;r3\r\n",
        IrsBulkRequestFile.line(request("r3", TinType.UNKNOWN, "912743210", "Grace Hopper")));
    String longName = IrsBulkRequestFile.name("A".repeat(60));
    assertEquals(40, longName.length());
  }

  @Test
  void aRequestIsFiledOnceAndAnsweredWhenTheResponseFileArrives() throws Exception {
    Path outbox = dir.resolve("out");
    Path inbox = dir.resolve("in");
    var provider = new BulkTinProvider(outbox, inbox, Clock.fixed(T0, ZoneOffset.UTC));

    assertInstanceOf(
        TinMatchAnswer.NotYet.class,
        provider.match(request("r1", TinType.SSN, "521438765", "Ada Lovelace")));
    assertInstanceOf(
        TinMatchAnswer.NotYet.class,
        provider.match(request("r1", TinType.SSN, "521438765", "Ada Lovelace")));
    List<Path> files = Files.list(outbox).toList();
    assertEquals(1, files.size());
    String written = Files.readString(files.get(0), StandardCharsets.US_ASCII);
    assertEquals("2;521438765;ADA LOVELACE;r1\r\n", written);

    Files.createDirectories(inbox);
    Files.writeString(
        inbox.resolve("response.txt"), written.trim() + ";0\r\n", StandardCharsets.US_ASCII);
    assertEquals(
        0,
        assertInstanceOf(
                TinMatchAnswer.Answered.class,
                provider.match(request("r1", TinType.SSN, "521438765", "Ada Lovelace")))
            .irsCode());
  }

  @Test
  void aRestartedProviderDoesNotFileARequestTwice() throws Exception {
    Path outbox = dir.resolve("out");
    new BulkTinProvider(outbox, dir.resolve("in"), Clock.fixed(T0, ZoneOffset.UTC))
        .match(request("r1", TinType.SSN, "521438765", "Ada"));
    new BulkTinProvider(outbox, dir.resolve("in"), Clock.fixed(T0.plusSeconds(1), ZoneOffset.UTC))
        .match(request("r1", TinType.SSN, "521438765", "Ada"));
    long lines = 0;
    for (Path f : Files.list(outbox).toList()) {
      lines += Files.readAllLines(f).size();
    }
    assertEquals(1, lines);
  }

  @Test
  void readsAHandWrittenResponseFile() {
    var codes =
        IrsBulkResponseFile.parse(
            "2;521438765;ADA LOVELACE;r1;0\r\n1;417654321;ANALYTICAL ENGINES LLC;r2;3\r\n3;912743210;GRACE HOPPER;r3;6\r\n",
            "resp.txt");
    assertEquals(0, codes.get("r1"));
    assertEquals(3, codes.get("r2"));
    assertEquals(6, codes.get("r3"));
  }

  @Test
  void aMalformedResponseLineIsRefusedNamingTheLineNotTheTin() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                IrsBulkResponseFile.parse(
                    "2;521438765;ADA;r1;0\r\n2;521438765;ADA;r2;9\r\n", "resp.txt"));
    assertTrue(e.getMessage().contains("line 2"));
    assertTrue(!e.getMessage().contains("521438765"));
  }

  @Test
  void irsCodesMeanMatchMismatchOrAskAgain() {
    for (int code : new int[] {0, 6, 7, 8}) {
      assertTrue(IrsCodes.isMatch(code));
    }
    for (int code : new int[] {1, 2, 3}) {
      assertTrue(IrsCodes.isMismatch(code));
    }
    assertTrue(IrsCodes.isRetryable(4) && IrsCodes.isRetryable(5));
  }
}
