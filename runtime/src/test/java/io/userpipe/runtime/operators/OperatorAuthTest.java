package io.userpipe.runtime.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.Request;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Who an operator request is: HTTP Basic operator_id:secret against the store. */
class OperatorAuthTest {
  private final OperatorCredentials store = new OperatorCredentials();
  private final AtomicBoolean caughtUp = new AtomicBoolean(true);
  private final OperatorAuth auth = new OperatorAuth(store, caughtUp::get);

  OperatorAuthTest() {
    var alice = store.add("alice", "secret-a", Instant.EPOCH, "ops");
    store.apply("alice", alice);
  }

  private static Request with(String authorization) {
    Map<String, String> headers =
        authorization == null ? Map.of() : Map.of("Authorization", authorization);
    return Request.of("GET", "/admin/x", Map.of(), Map.<String, List<String>>of(), headers, null);
  }

  private static String basic(String user, String secret) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  private int status(String authorization) {
    return assertThrows(ApiException.class, () -> auth.authenticate(with(authorization))).status();
  }

  @Test
  void theOperatorIdIsTheOneTheCredentialNames() {
    assertEquals("alice", auth.authenticate(with(basic("alice", "secret-a"))));
  }

  @Test
  void anythingElseIs401() {
    assertEquals(401, status(null));
    assertEquals(401, status(basic("alice", "wrong")));
    assertEquals(401, status(basic("bob", "secret-a")));
    assertEquals(401, status("Bearer secret-a"), "the old shared bearer token is no credential");
    assertEquals(401, status("Basic !!!not-base64"));
    assertEquals(401, status("Basic " + Base64.getEncoder().encodeToString("alice".getBytes())));
  }

  @Test
  void aRetiredOperatorIs401() {
    store.apply("alice", store.retire("alice", Instant.EPOCH, "ops"));
    assertEquals(401, status(basic("alice", "secret-a")));
  }

  @Test
  void untilTheCredentialsAreReadAValidLookingRequestIs503() {
    caughtUp.set(false);
    assertEquals(503, status(basic("alice", "secret-a")));
    assertEquals(401, status(null), "no credential at all is refused at once");
  }

  @Test
  void aSignInAnswersWhenTheCredentialWasMadeAndASessionEndsWithIt() {
    Instant since = auth.signIn("alice", "secret-a");
    assertEquals(Instant.EPOCH, since);
    auth.resume("alice", since); // the same credential: the session holds
    assertEquals(401, assertThrows(ApiException.class, () -> auth.signIn("alice", "x")).status());

    Instant later = Instant.EPOCH.plusSeconds(60);
    store.apply("alice", store.rotate("alice", "secret-b", later, "ops"));
    assertEquals(401, assertThrows(ApiException.class, () -> auth.resume("alice", since)).status());
    assertEquals(later, auth.signIn("alice", "secret-b"));

    store.apply("alice", store.retire("alice", later.plusSeconds(1), "ops"));
    assertEquals(401, assertThrows(ApiException.class, () -> auth.resume("alice", later)).status());
    assertEquals(401, assertThrows(ApiException.class, () -> auth.resume("bob", later)).status());
  }
}
