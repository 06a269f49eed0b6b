package io.userpipe.local.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * One kept-alive HTTP/1.1 connection of the load generator, used by one thread at a time: a request
 * is written in one piece and its answer read whole before the next. The JDK's HttpClient took 0.9
 * ms of CPU per create (0.41 of the two cores at 468 creates/s), CPU the stack it measures could
 * not use; a create costs this one a write and a read or two. It speaks just what the door answers:
 * a status, headers, and a body of a Content-Length or chunked.
 */
final class PlainHttp implements AutoCloseable {

  /** An answer: its status and body. */
  record Answer(int status, String body) {}

  /** The request never reached the server, or no byte of its answer came back. */
  static final class NoAnswer extends IOException {
    NoAnswer(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final int MAX_HEADER_LINE = 16 * 1024;

  private final String host;
  private final int port;
  private final Duration timeout;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  private int connections;

  PlainHttp(String host, int port, Duration timeout) {
    this.host = host;
    this.port = port;
    this.timeout = timeout;
  }

  /** Connections opened so far (tests: one is kept alive across requests). */
  int connections() {
    return connections;
  }

  /**
   * Sends a request and reads its answer. {@link NoAnswer} when the connection was closed (or
   * failed) before any byte of the answer arrived: the caller may send it again.
   */
  Answer exchange(String method, String target, Map<String, String> headers, String body)
      throws IOException {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    var head = new StringBuilder(256);
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(host).append(':').append(port).append("\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    if (body != null) {
      head.append("Content-Length: ").append(content.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = new byte[headBytes.length + content.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(content, 0, request, headBytes.length, content.length);
    String statusLine;
    try {
      if (socket == null) {
        connect();
      }
      out.write(request);
      out.flush();
      statusLine = line(in);
    } catch (IOException e) {
      close();
      throw new NoAnswer(method + " " + target + ": " + e, e);
    }
    try {
      return answer(statusLine);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private Answer answer(String statusLine) throws IOException {
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    long length = -1;
    boolean chunked = false;
    boolean closes = parts[0].equals("HTTP/1.0");
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("a malformed header line: " + line);
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> closes |= value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    String body;
    if (chunked) {
      body = chunkedBody();
    } else if (length >= 0) {
      byte[] bytes = in.readNBytes(checkedLength(length));
      if (bytes.length < length) {
        throw new EOFException("the answer ended before its Content-Length");
      }
      body = new String(bytes, StandardCharsets.UTF_8);
    } else {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8); // until the server closes
      closes = true;
    }
    if (closes) {
      close();
    }
    return new Answer(status, body);
  }

  private String chunkedBody() throws IOException {
    var body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      int semicolon = size.indexOf(';');
      long n = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
      if (n == 0) {
        for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
          // trailers: none that matter here
        }
        return body.toString(StandardCharsets.UTF_8);
      }
      byte[] chunk = in.readNBytes(checkedLength(n));
      if (chunk.length < n) {
        throw new EOFException("the answer ended inside a chunk");
      }
      body.write(chunk);
      if (!line(in).isEmpty()) {
        throw new IOException("a chunk not followed by its CRLF");
      }
    }
  }

  private static int checkedLength(long n) throws IOException {
    if (n > 64L * 1024 * 1024) {
      throw new IOException("an answer of " + n + " bytes, more than the 64 MiB read here");
    }
    return (int) n;
  }

  /** A line without its CRLF; EOF before its first byte is an {@link EOFException}. */
  private static String line(InputStream in) throws IOException {
    var line = new StringBuilder(64);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException(line.isEmpty() ? "closed by the server" : "closed inside a line");
      }
      if (line.length() > MAX_HEADER_LINE) {
        throw new IOException("a line longer than " + MAX_HEADER_LINE + " bytes");
      }
      line.append((char) b);
    }
    int end = line.length();
    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
  }

  private void connect() throws IOException {
    var s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setSoTimeout((int) timeout.toMillis());
      s.connect(new InetSocketAddress(host, port), 5_000);
      out = s.getOutputStream();
      in = new BufferedInputStream(s.getInputStream(), 8 * 1024);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    socket = s;
    connections++;
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
      socket = null;
      out = null;
      in = null;
    }
  }
}
