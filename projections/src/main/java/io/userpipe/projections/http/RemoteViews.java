package io.userpipe.projections.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.SecretHasher;
import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks the instance that owns a key (its {@code application.server}) for a view entry, or another
 * instance for the keys of its partitions. Instances prove they belong together with a token all
 * share: {@code INTERNAL_TOKEN}, or one derived from {@code CODE_HASH_KEY}.
 */
public final class RemoteViews {
  public static final String INTERNAL_TOKEN = "INTERNAL_TOKEN";
  static final String HEADER = "X-Internal-Token";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final byte[] token;

  RemoteViews(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** The shared token, or empty when neither key is configured (no forwarding then). */
  public static Optional<RemoteViews> from(AppConfig config) {
    Optional<String> explicit = config.find(INTERNAL_TOKEN);
    if (explicit.isPresent()) {
      return Optional.of(new RemoteViews(explicit.get()));
    }
    if (config.find(SecretHasher.CODE_HASH_KEY).isPresent()) {
      byte[] derived = SecretHasher.from(config).hash("internal-views", "token");
      return Optional.of(new RemoteViews(HexFormat.of().formatHex(derived)));
    }
    return Optional.empty();
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
    if (res.statusCode() == 404) {
      return Optional.empty();
    }
    if (res.statusCode() != 200) {
      throw unavailable(host, "answered " + res.statusCode());
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
      throw unavailable(host, "answered " + res.statusCode());
    }
    try {
      return Json.mapper().readValue(res.body(), new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw unavailable(host, "sent unreadable keys");
    }
  }

  private <T> HttpResponse<T> send(HostInfo host, String path, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + path))
              .header(HEADER, new String(token, StandardCharsets.UTF_8))
              .timeout(Duration.ofSeconds(5))
              .GET()
              .build(),
          body);
    } catch (IOException e) {
      throw unavailable(host, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(host, "interrupted");
    }
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
