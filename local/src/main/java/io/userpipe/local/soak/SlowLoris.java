package io.userpipe.local.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One slow-loris connection: a raw socket to a loopback port that sends a request's headers one
 * byte at a time, a byte every {@code interval}, and notes how it ended: closed by the server (end
 * of stream or reset, as a server that bounds how long a request may take to arrive does), answered
 * by it (a status line came back), or still open when this client gave up ({@code giveUpAfter}): a
 * server that would let it hold a thread for good.
 */
final class SlowLoris {

  enum Ending {
    CLOSED_BY_SERVER,
    ANSWERED,
    STILL_OPEN,
    CONNECT_FAILED
  }

  /** How one connection ended, after how long (from its first byte), and the answer if any. */
  record Result(Ending ending, Duration after, String statusLine) {}

  private SlowLoris() {}

  /**
   * Sends {@code request} over a new connection to {@code 127.0.0.1:port}, a byte at a time; after
   * the last byte it waits for an answer until {@code giveUpAfter}. Never longer than that.
   */
  static Result run(int port, byte[] request, Duration interval, Duration giveUpAfter) {
    long start = System.nanoTime();
    long deadline = start + giveUpAfter.toNanos();
    try (Socket socket = new Socket()) {
      try {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      } catch (IOException e) {
        return new Result(Ending.CONNECT_FAILED, since(start), null);
      }
      start = System.nanoTime();
      deadline = start + giveUpAfter.toNanos();
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      int sent = 0;
      while (System.nanoTime() < deadline) {
        if (sent < request.length) {
          try {
            out.write(request[sent++]);
            out.flush();
          } catch (IOException e) {
            return new Result(Ending.CLOSED_BY_SERVER, since(start), null);
          }
        }
        // waiting for the next byte's turn is a read: the server's close or answer shows at once
        long waitMillis =
            Math.max(1, Math.min(interval.toMillis(), (deadline - System.nanoTime()) / 1_000_000));
        socket.setSoTimeout((int) waitMillis);
        try {
          int b = in.read();
          if (b < 0) {
            return new Result(Ending.CLOSED_BY_SERVER, since(start), null);
          }
          return new Result(Ending.ANSWERED, since(start), statusLine(b, in));
        } catch (SocketTimeoutException e) {
          // still open: next byte
        } catch (IOException e) {
          return new Result(Ending.CLOSED_BY_SERVER, since(start), null);
        }
      }
      return new Result(Ending.STILL_OPEN, since(start), null);
    } catch (IOException e) {
      return new Result(Ending.CLOSED_BY_SERVER, since(start), null);
    }
  }

  /** A GET's request line and headers, padded with a header of {@code padding} bytes. */
  static byte[] request(int port, String path, String authorization, int padding) {
    return ("GET "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nAuthorization: "
            + authorization
            + "\r\nX-Slow: "
            + "x".repeat(padding)
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static String statusLine(int first, InputStream in) {
    var line = new StringBuilder().append((char) first);
    try {
      int b;
      while (line.length() < 200 && (b = in.read()) >= 0 && b != '\r' && b != '\n') {
        line.append((char) b);
      }
    } catch (IOException e) {
      // what came is enough
    }
    return line.toString();
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
