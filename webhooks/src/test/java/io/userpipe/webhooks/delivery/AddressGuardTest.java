package io.userpipe.webhooks.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSRF guard: every resolved address public, checked at each delivery. */
class AddressGuardTest {

  private static InetAddress ip(String literal) throws java.net.UnknownHostException {
    return InetAddress.getByName(literal); // a literal: no lookup
  }

  @Test
  void refusesLoopbackPrivateLinkLocalAndTheirMappedForms() throws Exception {
    for (String address :
        List.of(
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe")) {
      assertFalse(AddressGuard.isPublic(ip(address)), address);
    }
    for (String address : List.of("93.184.215.14", "8.8.8.8", "2606:4700:4700::1111")) {
      assertTrue(AddressGuard.isPublic(ip(address)), address);
    }
  }

  @Test
  void aHostWithOnePrivateAddressAmongPublicOnesIsRefused() throws Exception {
    var guard = new AddressGuard(false, host -> List.of(ip("93.184.215.14"), ip("10.0.0.5")));

    var e =
        assertThrows(
            AddressGuard.Refused.class, () -> guard.check(URI.create("https://hooks.example/x")));
    assertTrue(e.getMessage().contains("10.0.0.5"), e.getMessage());
  }

  @Test
  void theHostIsResolvedAgainAtEveryDeliverySoARebindingIsCaught() throws Exception {
    Deque<InetAddress> answers = new ArrayDeque<>(List.of(ip("93.184.215.14"), ip("127.0.0.1")));
    var guard = new AddressGuard(false, host -> List.of(answers.removeFirst()));
    URI url = URI.create("https://hooks.example/x");

    assertEquals(ip("93.184.215.14"), guard.check(url));
    assertThrows(AddressGuard.Refused.class, () -> guard.check(url));
  }

  @Test
  void plainHttpAndCredentialsInTheUrlAreRefusedOutsideTheDemo() {
    var guard = new AddressGuard(false, host -> List.of(ip("93.184.215.14")));

    assertThrows(
        AddressGuard.Refused.class, () -> guard.check(URI.create("http://hooks.example/")));
    assertThrows(
        AddressGuard.Refused.class, () -> guard.check(URI.create("https://u:p@hooks.example/")));
    assertThrows(AddressGuard.Refused.class, () -> guard.check(URI.create("file:///etc/passwd")));
  }

  @Test
  void theLocalDemoAllowsLoopbackExplicitly() throws Exception {
    assertEquals(
        InetAddress.getLoopbackAddress(),
        AddressGuard.localDemo().check(URI.create("http://127.0.0.1:8080/hook")));
    assertThrows(
        AddressGuard.Refused.class,
        () -> AddressGuard.strict().check(URI.create("https://127.0.0.1:8080/hook")));
  }
}
