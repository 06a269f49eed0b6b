package io.userpipe.runtime.http;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * Guards operator endpoints ({@code /admin/...}) with a bearer token from {@code ADMIN_TOKEN}.
 * Without one configured, they answer 403: nothing administrative is open by default.
 */
public final class AdminAuth {
  public static final String ADMIN_TOKEN = Secret.ADMIN_TOKEN.key();

  private final byte[] token;

  public AdminAuth(String token) {
    this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /** From {@code ADMIN_TOKEN}, checked ({@link Secret}): unset turns the endpoints off. */
  public static AdminAuth from(AppConfig config) {
    return new AdminAuth(Secret.ADMIN_TOKEN.find(config).orElse(null));
  }

  /** Throws 403 when admin endpoints are off, 401 when the request's token is missing or wrong. */
  public void check(Request request) {
    if (token == null) {
      throw new ApiException(403, "forbidden", "admin endpoints are disabled: set ADMIN_TOKEN");
    }
    String header = request.header("Authorization").orElse("");
    byte[] given =
        header.startsWith("Bearer ")
            ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    if (!MessageDigest.isEqual(token, given)) {
      throw new ApiException(
          401,
          "unauthorized",
          "an admin endpoint: send Authorization: Bearer <ADMIN_TOKEN>",
          List.of(),
          Map.of("WWW-Authenticate", "Bearer"));
    }
  }
}
