package io.userpipe.webhooks.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * The SSRF guard: an endpoint's host is resolved at every delivery, every address it resolves to
 * must be public, and the delivery connects to the address checked ({@link PinnedPost}), so a DNS
 * answer that changes between the check and the connection (rebinding) reaches nothing inside.
 * Loopback, link-local (cloud metadata at 169.254.169.254), private, carrier-grade NAT,
 * unique-local, multicast, unspecified and reserved addresses are refused, as are IPv4-mapped IPv6
 * forms of them. Only the local demo may allow private addresses and plain http, explicitly.
 */
public final class AddressGuard {

  /** Resolves a host name: the JDK's resolver, or a fixed answer in tests. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  /** Why an endpoint is refused: safe to show to the platform (its own URL, our rule). */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  private final boolean allowPrivate;
  private final Resolver resolver;

  public AddressGuard(boolean allowPrivate, Resolver resolver) {
    this.allowPrivate = allowPrivate;
    this.resolver = resolver;
  }

  /** The production guard: the JDK's resolver, public addresses over https only. */
  public static AddressGuard strict() {
    return new AddressGuard(false, host -> List.of(InetAddress.getAllByName(host)));
  }

  /** The local demo's: private addresses and plain http allowed, explicitly. */
  public static AddressGuard localDemo() {
    return new AddressGuard(true, host -> List.of(InetAddress.getAllByName(host)));
  }

  /** The URL's shape alone (at registration): scheme, host, no credentials or fragment. */
  public void checkShape(URI url) throws Refused {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowPrivate && scheme.equals("http"))) {
      throw new Refused("an endpoint URL is https");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw new Refused("an endpoint URL names a host");
    }
    if (url.getRawUserInfo() != null || url.getRawFragment() != null) {
      throw new Refused("an endpoint URL has no user info and no fragment");
    }
  }

  /**
   * The address to connect to for {@code url}, once every address its host resolves to is allowed.
   */
  public InetAddress check(URI url) throws Refused {
    checkShape(url);
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(url.getHost());
    } catch (UnknownHostException e) {
      throw new Refused("the endpoint's host does not resolve");
    }
    if (addresses.isEmpty()) {
      throw new Refused("the endpoint's host does not resolve");
    }
    for (InetAddress address : addresses) {
      if (!allowPrivate && !isPublic(address)) {
        throw new Refused(
            "the endpoint's host resolves to a non-public address ("
                + address.getHostAddress()
                + ")");
      }
    }
    return addresses.get(0);
  }

  /** Whether an address is on the public internet. */
  static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return isPublicV4(b);
    }
    if (address instanceof Inet6Address) {
      // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) forms: judge the IPv4
      boolean zeros = true;
      for (int i = 0; i < 10; i++) {
        zeros &= b[i] == 0;
      }
      if (zeros && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
        return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
      }
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) { // fc00::/7, unique local
        return false;
      }
      if (first == 0x20
          && (b[1] & 0xff) == 0x01
          && (b[2] & 0xff) == 0x0d
          && (b[3] & 0xff) == 0xb8) {
        return false; // 2001:db8::/32, documentation
      }
      if (first == 0x00
          && (b[1] & 0xff) == 0x64
          && (b[2] & 0xff) == 0xff
          && (b[3] & 0xff) == 0x9b) {
        return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]}); // 64:ff9b::/96, NAT64
      }
      return true;
    }
    return false;
  }

  private static boolean isPublicV4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    return !(a0 == 0 // 0.0.0.0/8
        || a0 == 10
        || a0 == 127
        || (a0 == 100 && a1 >= 64 && a1 <= 127) // carrier-grade NAT
        || (a0 == 169 && a1 == 254)
        || (a0 == 172 && a1 >= 16 && a1 <= 31)
        || (a0 == 192 && a1 == 168)
        || (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
        || (a0 == 198 && (a1 == 18 || a1 == 19)) // benchmarking
        || a0 >= 224); // multicast, reserved, broadcast
  }
}
