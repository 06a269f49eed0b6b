package io.userpipe.webhooks.worker;

import io.userpipe.schemas.Topics;
import io.userpipe.schemas.WebhookAttempt;
import io.userpipe.schemas.WebhookEndpoint;
import io.userpipe.webhooks.delivery.AddressGuard;
import io.userpipe.webhooks.delivery.PinnedPost;
import io.userpipe.webhooks.endpoints.EndpointDirectory;
import io.userpipe.webhooks.signing.WebhookSigner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the attempts the topology hands it, off the stream threads: signs the payload with every
 * secret the endpoint signs with now, checks the URL's resolved address ({@link AddressGuard}),
 * posts to that address ({@link PinnedPost}), and writes what came of it to {@code
 * webhooks.attempts}, which the topology reads back. Threads are its own, and each endpoint may
 * hold at most {@code perEndpoint} of them: a slow or dead endpoint keeps only its own share busy,
 * and the others' attempts go on. Logs endpoint and event ids, never a payload or a secret.
 */
public final class DeliveryWorker implements Deliveries, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

  private final EndpointDirectory endpoints;
  private final AddressGuard guard;
  private final PinnedPost post;
  private final Producer<String, WebhookAttempt> producer;
  private final int perEndpoint;
  private final Clock clock;
  private final ThreadPoolExecutor pool;
  private final ConcurrentHashMap<String, Semaphore> shares = new ConcurrentHashMap<>();
  private final AtomicReference<String> lastWriteError = new AtomicReference<>();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder failed = new LongAdder();

  public DeliveryWorker(
      EndpointDirectory endpoints,
      AddressGuard guard,
      PinnedPost post,
      Producer<String, WebhookAttempt> producer,
      int threads,
      int perEndpoint,
      Clock clock) {
    this.endpoints = endpoints;
    this.guard = guard;
    this.post = post;
    this.producer = producer;
    this.perEndpoint = perEndpoint;
    this.clock = clock;
    // no queue: an attempt waits in the durable queue (the topology's store), never in memory here
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "webhook-delivery");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public boolean offer(Delivery delivery) {
    Semaphore share =
        shares.computeIfAbsent(delivery.endpointId(), id -> new Semaphore(perEndpoint));
    if (!share.tryAcquire()) {
      return false;
    }
    try {
      pool.execute(
          () -> {
            try {
              attempt(delivery);
            } finally {
              share.release();
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      share.release();
      return false;
    }
  }

  /** What one POST came to: the HTTP status if one came back, and why it failed if it did. */
  public record Outcome(Integer httpStatus, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  /** One attempt, its outcome written; never throws. */
  void attempt(Delivery d) {
    WebhookEndpoint endpoint = endpoints.record(d.endpointId()).orElse(null);
    if (endpoint == null) {
      return; // deleted: the topology drops its queues
    }
    Outcome outcome = deliver(endpoint, d.eventId(), d.payload());
    (outcome.ok() ? delivered : failed).increment();
    if (!outcome.ok()) {
      log.info(
          "webhook {} to endpoint {} (attempt {}) failed: {}",
          d.eventId(),
          d.endpointId(),
          d.attempt(),
          outcome.error());
    }
    var record =
        WebhookAttempt.newBuilder()
            .setEndpointId(d.endpointId())
            .setUserId(d.userId())
            .setEventId(d.eventId())
            .setAttempt(d.attempt())
            .setOk(outcome.ok())
            .setHttpStatus(outcome.httpStatus())
            .setError(outcome.error())
            .setAt(clock.instant())
            .build();
    producer.send(
        new ProducerRecord<>(Topics.WEBHOOK_ATTEMPTS.name(), d.userId(), record),
        (metadata, e) -> lastWriteError.set(e == null ? null : e.toString()));
  }

  /**
   * Signs and posts {@code payload} to the endpoint now, on the calling thread (bounded by {@link
   * PinnedPost}'s deadline): the worker's attempts, and the API's test event.
   */
  public Outcome deliver(WebhookEndpoint endpoint, String webhookId, byte[] payload) {
    Integer status = null;
    String error = null;
    try {
      URI url = URI.create(endpoint.getUrl());
      InetAddress address = guard.check(url);
      long timestamp = clock.instant().getEpochSecond();
      var headers = new LinkedHashMap<String, String>();
      headers.put(WebhookSigner.ID_HEADER, webhookId);
      headers.put(WebhookSigner.TIMESTAMP_HEADER, Long.toString(timestamp));
      headers.put(
          WebhookSigner.SIGNATURE_HEADER, signatures(endpoint, webhookId, payload, timestamp));
      status = post.post(url, address, headers, payload);
      if (status < 200 || status > 299) {
        error = "HTTP " + status;
      }
    } catch (AddressGuard.Refused e) {
      error = e.getMessage();
    } catch (IOException e) {
      error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    } catch (RuntimeException e) {
      log.warn("webhook {} to endpoint {} failed", webhookId, endpoint.getEndpointId(), e);
      error = e.getClass().getSimpleName();
    }
    return new Outcome(status, error);
  }

  /** One {@code v1,} signature per secret that signs now (two for a day after a rotation). */
  private String signatures(
      WebhookEndpoint endpoint, String webhookId, byte[] payload, long timestamp) {
    List<String> out = new ArrayList<>();
    for (String secret : endpoints.signingSecrets(endpoint, Instant.ofEpochSecond(timestamp))) {
      out.add(new WebhookSigner(secret).sign(webhookId, timestamp, payload).signature());
    }
    return String.join(" ", out);
  }

  /** "UP", or "DOWN: why" when outcomes cannot be written. */
  public String health() {
    if (pool.isShutdown()) {
      return "DOWN: closed";
    }
    String error = lastWriteError.get();
    return error == null ? "UP" : "DOWN: writing outcomes: " + error;
  }

  public long deliveredCount() {
    return delivered.sum();
  }

  public long failedCount() {
    return failed.sum();
  }

  public int activeRequests() {
    return pool.getActiveCount();
  }

  @Override
  public void close() {
    pool.shutdownNow();
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
