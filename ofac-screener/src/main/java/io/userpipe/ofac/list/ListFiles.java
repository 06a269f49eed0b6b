package io.userpipe.ofac.list;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The raw bytes of one SDN list: {@code sdn.csv} (required), {@code alt.csv}, {@code add.csv} and
 * {@code sdn_comments.csv}. Each may be stored gzip-compressed ({@code .csv.gz}).
 */
public record ListFiles(Map<String, byte[]> files) {
  public static final List<String> NAMES =
      List.of("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv");
  private static final String CLASSPATH_DIR = "ofac/2023-12-28/";

  /** How long the server may take to answer: one that hangs must fail the fetch, not stall it. */
  private static final Duration HTTP_TIMEOUT = Duration.ofMinutes(2);

  /**
   * The most one downloaded file may hold: OFAC's largest, {@code sdn.csv}, is about 5 MB, so a
   * source answering far more is refused (with this limit named) before it fills the heap.
   */
  static final long MAX_FILE_BYTES = 64L << 20;

  public ListFiles {
    files = Map.copyOf(files);
  }

  public byte[] file(String name) {
    return files.get(name);
  }

  /** A hash of the content: the same files give the same version everywhere. */
  public String version() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String name : NAMES) {
        byte[] bytes = files.get(name);
        if (bytes != null) {
          sha.update(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          sha.update(ByteBuffer.allocate(8).putLong(bytes.length).array());
          sha.update(bytes);
        }
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public long totalBytes() {
    return files.values().stream().mapToLong(b -> b.length).sum();
  }

  /** The 2023-12-28 list shipped inside this service. */
  public static ListFiles shipped() throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String name : NAMES) {
      try (InputStream in =
          ListFiles.class.getClassLoader().getResourceAsStream(CLASSPATH_DIR + name + ".gz")) {
        if (in != null) {
          out.put(name, new GZIPInputStream(in).readAllBytes());
        }
      }
    }
    return new ListFiles(out);
  }

  /** A directory holding the files, plain or gzipped. */
  public static ListFiles fromDirectory(Path dir) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String name : NAMES) {
      Path plain = dir.resolve(name);
      Path gz = dir.resolve(name + ".gz");
      if (Files.isRegularFile(plain)) {
        out.put(name, Files.readAllBytes(plain));
      } else if (Files.isRegularFile(gz)) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
          out.put(name, in.readAllBytes());
        }
      }
    }
    if (!out.containsKey("sdn.csv")) {
      throw new IOException("no sdn.csv (or sdn.csv.gz) in " + dir);
    }
    return new ListFiles(out);
  }

  /**
   * A directory path or an http(s) base URL such as {@code
   * https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/}; from a URL,
   * {@code sdn.csv} is required and the others are left out only when the server says they do not
   * exist (404 or 410). OFAC's list service spells its files in capitals ({@code SDN.CSV}), older
   * mirrors in lower case: a name not found in one spelling is asked in the other. Any other answer
   * (a 5xx, no answer within 2 minutes) fails the whole fetch: a list published without its {@code
   * alt.csv} because of a passing error would drop every alias from screening.
   */
  public static ListFiles from(String location) throws IOException {
    if (!location.startsWith("http://") && !location.startsWith("https://")) {
      return fromDirectory(Path.of(location));
    }
    String base = location.endsWith("/") ? location : location + "/";
    HttpClient http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(HTTP_TIMEOUT)
            .build();
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String name : NAMES) {
      byte[] bytes = download(http, base, name);
      if (bytes == null) {
        bytes = download(http, base, name.toUpperCase(Locale.ROOT));
      }
      if (bytes != null) {
        out.put(name, bytes);
      } else if (name.equals("sdn.csv")) {
        throw new IOException(base + name + " not found (HTTP 404)");
      }
    }
    return new ListFiles(out);
  }

  /** All of {@code in}, or an error naming the limit once it holds more than {@code max} bytes. */
  static byte[] readBounded(InputStream in, String what, long max) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    if (bytes.length > max) {
      throw new IOException(what + " is larger than " + max + " bytes: refused");
    }
    return bytes;
  }

  /** The file's bytes, or null when the server says it does not exist. */
  private static byte[] download(HttpClient http, String base, String name) throws IOException {
    try {
      HttpResponse<InputStream> res =
          http.send(
              HttpRequest.newBuilder(URI.create(base + name)).timeout(HTTP_TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = res.body()) {
        if (res.statusCode() == 200) {
          return readBounded(in, base + name, MAX_FILE_BYTES);
        } else if (res.statusCode() == 404 || res.statusCode() == 410) {
          return null;
        }
        throw new IOException(base + name + " answered HTTP " + res.statusCode());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + base + name, e);
    }
  }
}
