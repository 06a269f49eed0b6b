package io.userpipe.webhooks.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.userpipe.localstack.SpecWebhookVerifier;
import io.userpipe.webhooks.signing.WebhookSigner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A delivery to a real HTTP receiver on loopback (the local demo's guard allows it explicitly),
 * which verifies the signature with the specification's scheme ({@link SpecWebhookVerifier}).
 */
class PinnedPostTest {

  private final String secret = WebhookSigner.newSecret(new SecureRandom());
  private final List<Boolean> verified = new CopyOnWriteArrayList<>();
  private final List<String> hosts = new CopyOnWriteArrayList<>();
  private volatile int answer = 204;
  private final HttpServer receiver = start();

  private HttpServer start() {
    try {
      var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/hook",
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var h = exchange.getRequestHeaders();
            hosts.add(h.getFirst("Host"));
            verified.add(
                SpecWebhookVerifier.verify(
                    secret,
                    h.getFirst("webhook-id"),
                    h.getFirst("webhook-timestamp"),
                    body,
                    h.getFirst("webhook-signature")));
            if (answer == 302) {
              exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/");
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  private URI url() {
    return URI.create("http://localhost:" + receiver.getAddress().getPort() + "/hook");
  }

  private int deliver() throws Exception {
    byte[] body = "{\"type\":\"ofac_status_changed\"}".getBytes(StandardCharsets.UTF_8);
    var signed = new WebhookSigner(secret).sign("evt_1", 1764756000L, body);
    var guard = new AddressGuard(true, host -> List.of(InetAddress.getLoopbackAddress()));
    return new PinnedPost(
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            (SSLSocketFactory) SSLSocketFactory.getDefault())
        .post(
            url(),
            guard.check(url()),
            Map.of(
                WebhookSigner.ID_HEADER, signed.id(),
                WebhookSigner.TIMESTAMP_HEADER, Long.toString(signed.timestamp()),
                WebhookSigner.SIGNATURE_HEADER, signed.signature()),
            body);
  }

  @Test
  void theReceiverVerifiesTheSignatureOfWhatItGot() throws Exception {
    assertEquals(204, deliver());
    assertEquals(List.of(true), verified);
    assertEquals("localhost:" + receiver.getAddress().getPort(), hosts.get(0));
  }

  @Test
  void aRedirectIsNotFollowed() throws Exception {
    answer = 302;
    assertEquals(302, deliver());
    assertEquals(1, verified.size(), "one request, to the endpoint only");
  }

  @Test
  void aReceiverThatNeverAnswersFailsWithinTheDeadline() throws Exception {
    var silent = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    try (silent) {
      var post =
          new PinnedPost(
              Duration.ofSeconds(1),
              Duration.ofMillis(500),
              (SSLSocketFactory) SSLSocketFactory.getDefault());
      long started = System.nanoTime();
      var e =
          assertThrows(
              IOException.class,
              () ->
                  post.post(
                      URI.create("http://localhost:" + silent.getLocalPort() + "/"),
                      InetAddress.getLoopbackAddress(),
                      Map.of(),
                      new byte[] {'{', '}'}));
      assertTrue((System.nanoTime() - started) / 1_000_000 < 3_000, e.getMessage());
    }
  }
}
