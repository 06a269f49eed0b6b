package io.userpipe.webhooks.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One POST over HTTP/1.1 to an address already checked ({@link AddressGuard}): the socket connects
 * to that address, never to a name resolved again, and for https the TLS handshake still sends the
 * host name (SNI) and checks the certificate against it. Bounded: a connect timeout, a deadline for
 * the whole exchange, the request body's size, and at most {@link #MAX_RESPONSE_BYTES} of the
 * answer read (only its status line matters). Redirects are never followed: a 3xx is a failed
 * attempt.
 */
public final class PinnedPost {

  static final int MAX_RESPONSE_BYTES = 16 * 1024;
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private final Duration connectTimeout;
  private final Duration deadline;
  private final SSLSocketFactory tls;

  public PinnedPost(Duration connectTimeout, Duration deadline, SSLSocketFactory tls) {
    this.connectTimeout = connectTimeout;
    this.deadline = deadline;
    this.tls = tls;
  }

  public static PinnedPost defaults() {
    return new PinnedPost(
        Duration.ofSeconds(5),
        Duration.ofSeconds(15),
        (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /**
   * Posts {@code body} with {@code headers} and answers the HTTP status.
   *
   * @throws IOException when nothing usable came back in time (the attempt failed)
   */
  public int post(URI url, InetAddress address, Map<String, String> headers, byte[] body)
      throws IOException {
    if (body.length > MAX_BODY_BYTES) {
      throw new IOException("the body has more than " + MAX_BODY_BYTES + " bytes");
    }
    boolean https = url.getScheme().toLowerCase(Locale.ROOT).equals("https");
    int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
    long endAt = System.nanoTime() + deadline.toNanos();
    Socket raw = new Socket();
    try (raw) {
      raw.connect(new InetSocketAddress(address, port), (int) connectTimeout.toMillis());
      Socket socket = raw;
      if (https) {
        SSLSocket ssl = (SSLSocket) tls.createSocket(raw, url.getHost(), port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(url.getHost())));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
        ssl.setSoTimeout(remaining(endAt));
        ssl.startHandshake();
        socket = ssl;
      }
      socket.setSoTimeout(remaining(endAt));
      write(socket.getOutputStream(), url, port, https, headers, body);
      return readStatus(socket.getInputStream(), endAt, socket);
    } catch (SocketTimeoutException e) {
      throw new IOException("no answer within " + deadline.toSeconds() + " s");
    }
  }

  private static void write(
      OutputStream out, URI url, int port, boolean https, Map<String, String> headers, byte[] body)
      throws IOException {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    boolean defaultPort = port == (https ? 443 : 80);
    var head = new StringBuilder();
    head.append("POST ").append(path).append(" HTTP/1.1\r\n");
    head.append("Host: ")
        .append(url.getHost())
        .append(defaultPort ? "" : ":" + port)
        .append("\r\n");
    head.append("User-Agent: userpipe-webhooks/1\r\n");
    head.append("Content-Type: application/json\r\n");
    head.append("Content-Length: ").append(body.length).append("\r\n");
    head.append("Connection: close\r\n");
    for (var header : headers.entrySet()) {
      if (header.getKey().indexOf('\r') >= 0
          || header.getKey().indexOf('\n') >= 0
          || header.getValue().indexOf('\r') >= 0
          || header.getValue().indexOf('\n') >= 0) {
        throw new IOException("a header with a line break");
      }
      head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  private static int readStatus(InputStream in, long endAt, Socket socket) throws IOException {
    byte[] buffer = new byte[MAX_RESPONSE_BYTES];
    int length = 0;
    while (length < buffer.length) {
      socket.setSoTimeout(remaining(endAt));
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        break;
      }
      length += n;
      String seen = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
      if (seen.contains("\r\n")) {
        break; // the status line is all we need
      }
    }
    String text = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
    int eol = text.indexOf("\r\n");
    String[] parts = (eol < 0 ? text : text.substring(0, eol)).split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x answer");
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status");
    }
  }

  private static int remaining(long endAt) throws SocketTimeoutException {
    long millis = (endAt - System.nanoTime()) / 1_000_000;
    if (millis <= 0) {
      throw new SocketTimeoutException();
    }
    return (int) Math.max(1, millis);
  }
}
