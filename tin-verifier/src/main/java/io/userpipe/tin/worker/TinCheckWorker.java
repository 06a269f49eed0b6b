package io.userpipe.tin.worker;

import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.kafka.ClientProps;
import io.userpipe.runtime.kafka.ConsumerLoop;
import io.userpipe.runtime.serde.AvroSerdes;
import io.userpipe.schemas.TinCheck;
import io.userpipe.schemas.TinCheckOutcome;
import io.userpipe.schemas.TinCheckRequest;
import io.userpipe.schemas.TinCheckResponse;
import io.userpipe.schemas.Topics;
import io.userpipe.tin.provider.TinMatchAnswer;
import io.userpipe.tin.provider.TinMatchRequest;
import io.userpipe.tin.provider.TinMatchingProvider;
import io.userpipe.tin.provider.TinType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the TIN-matching provider, outside any stream thread and transaction: reads {@code
 * tin.requests}, calls the provider on a pool with a timeout, writes what it said (or that it said
 * nothing) to {@code tin.responses}, then commits. A crash repeats a question, never loses one —
 * and the verifier's timers ask again anyway. Logs request ids, never TINs or names.
 */
public final class TinCheckWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TinCheckWorker.class);

  private final KafkaProducer<String, TinCheckResponse> producer;
  private final TinMatchingProvider provider;
  private final DataKeys dataKeys;
  private final Duration timeout;
  private final ExecutorService calls;
  private final ConsumerLoop<String, TinCheckRequest> loop;

  public TinCheckWorker(
      AppConfig config,
      AvroSerdes serdes,
      DataKeys dataKeys,
      TinMatchingProvider provider,
      Duration timeout,
      int threads) {
    var consumerProps = ClientProps.committedReader(config, "tin-worker");
    consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, threads * 4);
    var consumer =
        new KafkaConsumer<>(
            consumerProps,
            serdes.keySerde(Topics.TIN_REQUESTS).deserializer(),
            serdes.valueSerde(Topics.TIN_REQUESTS).deserializer());
    this.producer =
        new KafkaProducer<>(
            ClientProps.durableWriter(config, "tin-worker"),
            serdes.keySerde(Topics.TIN_RESPONSES).serializer(),
            serdes.valueSerde(Topics.TIN_RESPONSES).serializer());
    this.provider = provider;
    this.dataKeys = dataKeys;
    this.timeout = timeout;
    this.calls =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "tin-provider-call");
              t.setDaemon(true);
              return t;
            });
    this.loop =
        new ConsumerLoop<>(
            "tin-worker",
            consumer,
            Topics.TIN_REQUESTS.name(),
            this::answerAll,
            ConsumerLoop.Options.defaults()
                .deadLetters(ClientProps.deadLetterWriter(config, "tin-worker"))
                // a batch waits for the provider: up to four rounds of calls on the pool
                .stallAfter(Duration.ofSeconds(1).plus(timeout.multipliedBy(5))));
  }

  /** "UP", or "DOWN: why" when the worker's loop has died or stopped polling. */
  public String health() {
    return loop.health();
  }

  public void start() {
    loop.start();
  }

  /** Asks about the whole batch at once (a pool of calls), then writes every answer. */
  private void answerAll(ConsumerRecords<String, TinCheckRequest> batch) {
    List<Future<TinMatchAnswer>> answers = new ArrayList<>();
    List<TinCheckRequest> requests = new ArrayList<>();
    for (ConsumerRecord<String, TinCheckRequest> record : batch) {
      if (record.value() != null) {
        requests.add(record.value());
        answers.add(calls.submit(() -> ask(record.value())));
      }
    }
    for (int i = 0; i < requests.size(); i++) {
      TinCheckRequest request = requests.get(i);
      producer.send(
          new ProducerRecord<>(
              Topics.TIN_RESPONSES.name(), request.getUserId(), response(request, answers.get(i))));
    }
    producer.flush();
  }

  private TinMatchAnswer ask(TinCheckRequest request) throws Exception {
    byte[] plain = dataKeys.open(request.getCheck(), "tin-check:" + request.getSubmissionId());
    TinCheck check = TinCheck.getDecoder().decode(ByteBuffer.wrap(plain));
    var match =
        new TinMatchRequest(
            request.getSubmissionId(),
            TinType.valueOf(check.getTinType().toUpperCase(Locale.ROOT)),
            check.getTin(),
            check.getName(),
            check.getBusiness(),
            request.getSubmittedAt());
    return provider.match(match);
  }

  private TinCheckResponse response(TinCheckRequest request, Future<TinMatchAnswer> pending) {
    var response =
        TinCheckResponse.newBuilder()
            .setSubmissionId(request.getSubmissionId())
            .setUserId(request.getUserId())
            .setAttempt(request.getAttempt());
    try {
      TinMatchAnswer answer = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (answer instanceof TinMatchAnswer.Answered answered) {
        log.info(
            "TIN check {} answered with IRS code {}",
            request.getSubmissionId(),
            answered.irsCode());
        return response.setOutcome(TinCheckOutcome.ANSWERED).setIrsCode(answered.irsCode()).build();
      }
      var notYet = (TinMatchAnswer.NotYet) answer;
      return response
          .setOutcome(TinCheckOutcome.NOT_YET)
          .setRetryAfterMs(notYet.retryAfter().toMillis())
          .build();
    } catch (TimeoutException e) {
      pending.cancel(true);
      return response
          .setOutcome(TinCheckOutcome.FAILED)
          .setError("provider timed out after " + timeout)
          .build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return response.setOutcome(TinCheckOutcome.FAILED).setError("interrupted").build();
    } catch (Exception e) {
      // the cause's class only: a provider's message might quote the request
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return response
          .setOutcome(TinCheckOutcome.FAILED)
          .setError(cause.getClass().getSimpleName())
          .build();
    }
  }

  @Override
  public void close() {
    loop.close();
    calls.shutdownNow();
    producer.close(Duration.ofSeconds(5));
  }
}
