package io.userpipe.runtime.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The user name and password of an HTTP Basic {@code Authorization} header, read once for both
 * kinds of caller: platforms ({@code client_id:api_key}, {@link PlatformDirectory}) and operators
 * ({@code operator_id:secret}).
 */
public record BasicCredentials(String user, String password) {

  /** The request's Basic credentials; empty when it has none, or none that decode. */
  public static Optional<BasicCredentials> of(Request request) {
    String header = request.header("Authorization").orElse("");
    if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return Optional.of(
        new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
  }

  @Override
  public String toString() {
    return "BasicCredentials[user=" + user + "]"; // never the password
  }
}
