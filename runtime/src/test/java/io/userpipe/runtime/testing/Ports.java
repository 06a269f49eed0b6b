package io.userpipe.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free ports on loopback, for servers a test must restart on the same address. */
public final class Ports {

  private Ports() {}

  /** A port free on 127.0.0.1 now; another process could take it before it is used. */
  public static int freeLoopbackPort() {
    try (var socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }
}
