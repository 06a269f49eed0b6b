package io.userpipe.projections.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.Json;
import io.userpipe.runtime.http.WorkGate;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks the instance that owns a key (its {@code application.server}: that instance's internal
 * listener) for a view entry, or another instance for the keys of its partitions. Instances prove
 * they belong together with a token all share and nothing else uses: {@code INTERNAL_TOKEN}.
 */
public final class RemoteViews {
  public static final String INTERNAL_TOKEN = Secret.INTERNAL_TOKEN.key();

  /** The header that carries the internal token. */
  public static final String HEADER = "X-Internal-Token";

  /**
   * Set on the internal listener's 404 for an entry the owner does not have: a 404 without it (a
   * public port named as {@code APPLICATION_SERVER}) is no answer, not a missing entry.
   */
  static final String NO_ENTRY_HEADER = "X-Internal-No-Entry";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final byte[] token;

  RemoteViews(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** With the shared {@code INTERNAL_TOKEN}, checked ({@link Secret}). */
  public static RemoteViews from(AppConfig config) {
    return new RemoteViews(Secret.INTERNAL_TOKEN.require(config));
  }

  boolean accepts(String presented) {
    return presented != null
        && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }

  /** The owner's serialized entry, empty when it has none. */
  Optional<byte[]> fetch(HostInfo host, String store, String key) {
    HttpResponse<byte[]> res =
        send(
            host,
            "/internal/views/" + store + "/" + encode(key),
            HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() == 404 && res.headers().firstValue(NO_ENTRY_HEADER).isPresent()) {
      return Optional.empty();
    }
    if (res.statusCode() != 200) {
      throw unavailable(host, "answered " + res.statusCode() + notInternal(res.statusCode()));
    }
    return Optional.of(res.body());
  }

  /** The keys strictly between from and to in the partitions that instance hosts. */
  List<String> keys(
      HostInfo host, String store, String from, String to, int limit, boolean descending) {
    String path =
        "/internal/keys/"
            + store
            + "?from="
            + encode(from)
            + "&to="
            + encode(to)
            + "&limit="
            + limit
            + "&descending="
            + descending;
    HttpResponse<String> res = send(host, path, HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw unavailable(host, "answered " + res.statusCode() + notInternal(res.statusCode()));
    }
    try {
      return Json.mapper().readValue(res.body(), new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw unavailable(host, "sent unreadable keys");
    }
  }

  private <T> HttpResponse<T> send(HostInfo host, String path, HttpResponse.BodyHandler<T> body) {
    try {
      var request =
          HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + path))
              .header(HEADER, new String(token, StandardCharsets.UTF_8))
              .timeout(Duration.ofSeconds(5))
              .GET()
              .build();
      // the other instance does the work: this request's place in the door goes to another
      // meanwhile
      return WorkGate.away(() -> http.send(request, body));
    } catch (IOException e) {
      throw unavailable(host, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(host, "interrupted");
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) { // none other: HttpClient#send throws only the two above
      throw unavailable(host, e.toString());
    }
  }

  /** What a bare 404 means: the address is not an internal listener. */
  private static String notInternal(int status) {
    return status == 404 ? " (is its APPLICATION_SERVER its internal listener?)" : "";
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static ApiException unavailable(HostInfo host, String why) {
    return new ApiException(
        503,
        "unavailable",
        "the instance owning this data (" + host + ") cannot be reached: " + why,
        List.of(),
        Map.of("Retry-After", "1"));
  }
}
