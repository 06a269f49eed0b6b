package io.userpipe.webhooks.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.localstack.SpecWebhookVerifier;
import io.userpipe.localstack.WebhookReceiver;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.schemas.WebhookAttempt;
import io.userpipe.schemas.WebhookEndpoint;
import io.userpipe.schemas.WebhookEndpointStatus;
import io.userpipe.schemas.WebhookSecret;
import io.userpipe.webhooks.delivery.AddressGuard;
import io.userpipe.webhooks.delivery.PinnedPost;
import io.userpipe.webhooks.endpoints.EndpointDirectory;
import io.userpipe.webhooks.signing.WebhookSigner;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker against a real receiver on loopback, which checks signatures from the spec. */
class DeliveryWorkerTest {

  private final DataKeys dataKeys = DataKeys.parse(DataKeys.generateEntry("k1"), null);
  private final EndpointDirectory endpoints = new EndpointDirectory(dataKeys);
  private final MockProducer<String, WebhookAttempt> producer =
      new MockProducer<>(
          true, null, new StringSerializer(), (Serializer<WebhookAttempt>) (t, v) -> new byte[0]);
  private final WebhookReceiver receiver = receiver();
  private final String secret = WebhookSigner.newSecret(new SecureRandom());
  private final byte[] payload = "{\"type\":\"user_verified\"}".getBytes(StandardCharsets.UTF_8);
  private DeliveryWorker worker;

  private static WebhookReceiver receiver() {
    try {
      return new WebhookReceiver();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void tearDown() {
    receiver.close();
    if (worker != null) {
      worker.close();
    }
  }

  private DeliveryWorker worker(AddressGuard guard, int perEndpoint) {
    worker =
        new DeliveryWorker(
            endpoints,
            guard,
            new PinnedPost(
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                (SSLSocketFactory) SSLSocketFactory.getDefault()),
            producer,
            4,
            perEndpoint,
            Clock.systemUTC());
    return worker;
  }

  private void endpoint(String id, String url, List<WebhookSecret> secrets) {
    endpoints.apply(
        id,
        WebhookEndpoint.newBuilder()
            .setEndpointId(id)
            .setPlatformId("p")
            .setUrl(url)
            .setEventTypes(List.of("user_verified"))
            .setStatus(WebhookEndpointStatus.ENABLED)
            .setSecrets(secrets)
            .setCreatedAt(Instant.now())
            .setChangedAt(Instant.now())
            .build());
  }

  @Test
  void postsASignedDeliveryAndWritesItsOutcome() {
    endpoint("ep", receiver.url(), List.of(new WebhookSecret(endpoints.seal("ep", secret), null)));
    receiver.secret(secret);
    worker(AddressGuard.localDemo(), 2).attempt(new Delivery("ep", "u1", "e1", 1, payload));
    var got = receiver.received();
    assertEquals(1, got.size());
    assertTrue(got.get(0).verified(), "the spec's verifier accepts it");
    assertEquals("e1", got.get(0).webhookId());
    WebhookAttempt outcome = producer.history().get(0).value();
    assertTrue(outcome.getOk());
    assertEquals("u1", producer.history().get(0).key());
    assertEquals(204, outcome.getHttpStatus());
  }

  @Test
  void afterARotationBothSecretsSign() {
    String next = WebhookSigner.newSecret(new SecureRandom());
    var rotated =
        EndpointDirectory.rotated(
            List.of(new WebhookSecret(endpoints.seal("ep", secret), null)),
            endpoints.seal("ep", next),
            Instant.now(),
            Duration.ofHours(24));
    endpoint("ep", receiver.url(), rotated);
    var outcome =
        worker(AddressGuard.localDemo(), 2)
            .deliver(endpoints.record("ep").orElseThrow(), "e1", payload);
    assertTrue(outcome.ok());
    var got = receiver.received().get(0);
    assertEquals(2, got.signature().split(" ").length, got.signature());
    for (String s : List.of(secret, next)) {
      assertTrue(
          SpecWebhookVerifier.verify(
              s,
              got.webhookId(),
              got.timestamp(),
              got.body().getBytes(StandardCharsets.UTF_8),
              got.signature()),
          "signed with " + (s.equals(secret) ? "the old" : "the new") + " secret");
    }
  }

  @Test
  void aHostThatResolvesToAPrivateAddressAtDeliveryIsNotPostedTo() {
    // the name looked public when registered; now its DNS answers loopback (rebinding)
    var guard = new AddressGuard(false, host -> List.of(InetAddress.getLoopbackAddress()));
    endpoint(
        "ep",
        "https://hooks.example.com:" + receiver.port() + "/hook",
        List.of(new WebhookSecret(endpoints.seal("ep", secret), null)));
    worker(guard, 2).attempt(new Delivery("ep", "u1", "e1", 1, payload));
    assertEquals(List.of(), receiver.received(), "nothing reached the receiver");
    WebhookAttempt outcome = producer.history().get(0).value();
    assertFalse(outcome.getOk());
    assertTrue(outcome.getError().contains("non-public"), outcome.getError());
  }

  @Test
  void anEndpointHoldsAtMostItsShareOfRequests() throws Exception {
    endpoint(
        "slow", receiver.url(), List.of(new WebhookSecret(endpoints.seal("slow", secret), null)));
    endpoint(
        "other", receiver.url(), List.of(new WebhookSecret(endpoints.seal("other", secret), null)));
    receiver.hold();
    var w = worker(AddressGuard.localDemo(), 1);
    assertTrue(w.offer(new Delivery("slow", "u1", "e1", 1, payload)));
    assertFalse(w.offer(new Delivery("slow", "u2", "e2", 1, payload)), "its share is taken");
    assertTrue(w.offer(new Delivery("other", "u3", "e3", 1, payload)), "another endpoint goes on");
    receiver.release();
  }
}
