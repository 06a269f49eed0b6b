package io.userpipe.local.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class SoakPartsTest {

  private static final byte[] REQUEST = SlowLoris.request(1, "/v2/users", "Basic x", 200);

  @Test
  void aSlowLorisSeesTheServerCloseItsConnection() throws Exception {
    try (var server = server((socket, in) -> readFor(in, 600))) {
      var result =
          SlowLoris.run(
              server.getLocalPort(), REQUEST, Duration.ofMillis(50), Duration.ofSeconds(10));
      assertEquals(SlowLoris.Ending.CLOSED_BY_SERVER, result.ending());
      assertTrue(result.after().toMillis() >= 500, result.toString());
      assertTrue(result.after().toMillis() < 5_000, result.toString());
    }
  }

  @Test
  void aSlowLorisNotesAnAnswer() throws Exception {
    try (var server =
        server(
            (socket, in) -> {
              readFor(in, 300);
              try {
                socket
                    .getOutputStream()
                    .write(
                        "HTTP/1.1 408 Request Timeout\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
              } catch (IOException e) {
                // the test fails on its own
              }
              readFor(in, 2_000);
            })) {
      var result =
          SlowLoris.run(
              server.getLocalPort(), REQUEST, Duration.ofMillis(50), Duration.ofSeconds(10));
      assertEquals(SlowLoris.Ending.ANSWERED, result.ending());
      assertEquals("HTTP/1.1 408 Request Timeout", result.statusLine());
    }
  }

  @Test
  void aSlowLorisGivesUpOnAServerThatLetsItHoldOn() throws Exception {
    try (var server = server((socket, in) -> readFor(in, 5_000))) {
      var result =
          SlowLoris.run(
              server.getLocalPort(), REQUEST, Duration.ofMillis(50), Duration.ofMillis(800));
      assertEquals(SlowLoris.Ending.STILL_OPEN, result.ending());
      assertTrue(result.after().toMillis() < 2_000, result.toString());
    }
  }

  @Test
  void readsJstatGcColumns() {
    String out =
        "    S0C         S1C         S0U         S1U          EC           EU           OC  "
            + "         OU          MC         MU       CCSC      CCSU     YGC     YGCT     FGC    "
            + "FGCT     CGC    CGCT       GCT   \n"
            + "        0.0     24576.0         0.0     24576.0     208896.0      67584.0     "
            + "126976.0      93440.5    112448.0   109360.4   13888.0   12880.7     77     7.440"
            + "     1     0.250    20     2.690    10.380\n";
    var gc = StackProbe.parseJstat(out);
    assertEquals(77, gc.young());
    assertEquals(1, gc.full());
    assertEquals(20, gc.concurrent());
    assertEquals(10.38, gc.totalSeconds(), 1e-9);
    assertEquals(
        2.0, gc.minus(new StackProbe.Gc(70, 7.0, 1, 0.25, 19, 2.5, 8.38)).totalSeconds(), 1e-9);
    assertNull(StackProbe.parseJstat("12345 not found"));
  }

  @Test
  void tallyCountsOutcomesAndPercentilesPerKind() {
    var tally = new Tally();
    for (int i = 1; i <= 100; i++) {
      tally.record("get", i <= 90 ? 200 : 404, i * 1_000L);
    }
    tally.record("create", "timeout", 30_000_000L);
    tally.record("create", 500, 1_000L);
    assertEquals(100, tally.count("get"));
    assertEquals(10, tally.count("get", "404"));
    var table = tally.table();
    assertTrue(table.get(1).startsWith("get "), table.toString());
    assertTrue(table.get(1).contains("50.0") && table.get(1).contains("99.0"), table.get(1));
    assertTrue(table.get(1).endsWith("200: 90, 404: 10"), table.get(1));
    assertEquals(java.util.Map.of("create 500", 1L), tally.serverErrors("503"));
    assertEquals("usr_1", Soak.field("{\"id\":\"usr_1\",\"x\":1}", "id"));
    assertNull(Soak.field("{\"x\":1}", "id"));
  }

  /** A loopback server that hands its one connection to {@code handler}, then closes it. */
  private static ServerSocket server(BiConsumer<Socket, InputStream> handler) throws IOException {
    var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              try (Socket socket = server.accept()) {
                handler.accept(socket, socket.getInputStream());
              } catch (IOException e) {
                // closed
              }
            });
    t.setDaemon(true);
    t.start();
    return server;
  }

  private static void readFor(InputStream in, long millis) {
    long end = System.currentTimeMillis() + millis;
    try {
      while (System.currentTimeMillis() < end) {
        if (in.available() > 0) {
          in.read();
        } else {
          Thread.sleep(5);
        }
      }
    } catch (IOException e) {
      // closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
