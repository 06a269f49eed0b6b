package io.userpipe.webhooks.endpoints;

import io.userpipe.schemas.Topics;
import io.userpipe.schemas.WebhookEndpoint;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes an endpoint's new state to {@code webhooks.endpoints} and waits for the broker to have it,
 * then applies it here at once, so that the platform reads its own write; the other instances get
 * it from their followers a moment later.
 */
public final class EndpointWriter implements AutoCloseable {

  private final Producer<String, WebhookEndpoint> producer;
  private final EndpointDirectory directory;

  public EndpointWriter(Producer<String, WebhookEndpoint> producer, EndpointDirectory directory) {
    this.producer = producer;
    this.directory = directory;
  }

  /** Writes {@code value}, or a tombstone for {@code null}. */
  public void write(String endpointId, WebhookEndpoint value) {
    try {
      producer
          .send(new ProducerRecord<>(Topics.WEBHOOK_ENDPOINTS.name(), endpointId, value))
          .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing an endpoint", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write endpoint " + endpointId, e);
    }
    directory.apply(endpointId, value);
  }

  /**
   * Writes {@code value} without waiting (the delivery topology disabling an endpoint from a stream
   * thread), applying it here at once.
   */
  public void writeLater(WebhookEndpoint value) {
    producer.send(
        new ProducerRecord<>(Topics.WEBHOOK_ENDPOINTS.name(), value.getEndpointId(), value));
    directory.apply(value.getEndpointId(), value);
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
