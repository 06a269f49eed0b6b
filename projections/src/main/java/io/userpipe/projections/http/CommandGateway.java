package io.userpipe.projections.http;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.OfacCommand;
import io.userpipe.schemas.OfacReview;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.UserView;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The write side of the edge: publishes a command, then waits (bounded) for its one result in the
 * command-status view and for the user view to reach the version the result names, so that a read
 * after the answer sees the write. When the wait runs out the caller answers 202; it never guesses.
 *
 * <p>Every wait is a future completed by {@link ViewWaits} when the fold writes what it waits for:
 * no thread is held while a command is in flight, and the HTTP door answers it later ({@code
 * Response.later}).
 *
 * <p>Platforms' commands and operators' review decisions leave through two producers: the operator
 * producer (its own client id, and its own principal once the broker has ACLs) is the only one that
 * writes {@code ofac.reviews}, and only for a request an operator authenticated.
 */
public final class CommandGateway implements AutoCloseable {

  private final Producer<String, SpecificRecord> producer;
  private final Producer<String, SpecificRecord> operatorProducer;
  private final ViewQueries views;
  private final UserReader reader;
  private final ViewWaits waits;
  private final Duration wait;

  public CommandGateway(
      Producer<String, SpecificRecord> producer,
      Producer<String, SpecificRecord> operatorProducer,
      ViewQueries views,
      UserReader reader,
      ViewWaits waits,
      Duration wait) {
    this.producer = producer;
    this.operatorProducer = operatorProducer;
    this.views = views;
    this.reader = reader;
    this.waits = waits;
    this.wait = wait;
  }

  /** The outcome of a command as far as the wait could see. */
  public sealed interface Outcome {
    /** The result is known and, when accepted, the view reflects it. */
    record Decided(CommandResult result, Optional<UserReader.ReadableUser> user)
        implements Outcome {}

    /** Still in flight when the wait ran out. */
    record Pending(String commandId) implements Outcome {}
  }

  /**
   * Publishes the command (acknowledged by the broker) and waits for its outcome. A command whose
   * id has a result already (a retried idempotent request) is not published again.
   */
  public CompletableFuture<Outcome> submit(String key, UserCommand command) {
    return submit(producer, Topics.USER_COMMANDS.name(), key, command, command.getCommandId());
  }

  /** The same for a command that ofac-screener decides (topic ofac.commands, keyed by user). */
  public CompletableFuture<Outcome> submit(OfacCommand command) {
    return submit(
        producer,
        Topics.OFAC_COMMANDS.name(),
        command.getUserId(),
        command,
        command.getCommandId());
  }

  /**
   * The same for an operator's review decision (topic ofac.reviews, keyed by user), through the
   * operator producer.
   */
  public CompletableFuture<Outcome> submit(OfacReview review) {
    return submit(
        operatorProducer,
        Topics.OFAC_REVIEWS.name(),
        review.getUserId(),
        review,
        review.getCommandId());
  }

  /**
   * Waits (at most {@code limit}) until the user's view satisfies {@code condition}; the last
   * readable state either way.
   */
  public CompletableFuture<Optional<UserReader.ReadableUser>> awaitUser(
      String userId, Predicate<UserView> condition, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    return waits
        .onUser(userId, () -> readWhen(userId, condition), deadline)
        .thenApply(met -> met.isPresent() ? met : reader.read(userId));
  }

  /**
   * The user, opened, once the view meets {@code condition}: the view is looked at first, and only
   * one that meets it is opened (each look would otherwise unwrap a key and decrypt a profile).
   */
  private Optional<UserReader.ReadableUser> readWhen(String userId, Predicate<UserView> condition) {
    return views.user(userId).filter(condition).flatMap(reader::open);
  }

  private CompletableFuture<Outcome> submit(
      Producer<String, SpecificRecord> producer,
      String topic,
      String key,
      SpecificRecord command,
      String commandId) {
    long deadline = System.nanoTime() + wait.toNanos();
    if (views.commandResult(commandId).isPresent()) {
      return await(commandId, deadline);
    }
    return publish(producer, topic, key, command)
        // off the producer's network thread: the waits read stores and open personal data
        .thenComposeAsync(acknowledged -> await(commandId, deadline), waits.executor());
  }

  private CompletableFuture<Outcome> await(String commandId, long deadline) {
    return waits
        .onCommand(commandId, () -> views.commandResult(commandId), deadline)
        .thenCompose(
            result -> {
              if (result.isEmpty()) {
                return CompletableFuture.completedFuture(new Outcome.Pending(commandId));
              }
              CommandResult r = result.get();
              if (r.getUserId() == null || r.getUserVersion() == null) {
                return CompletableFuture.completedFuture(new Outcome.Decided(r, Optional.empty()));
              }
              long version = r.getUserVersion();
              return waits
                  .onUser(
                      r.getUserId(),
                      () -> readWhen(r.getUserId(), v -> v.getVersion() >= version),
                      deadline)
                  .thenApply(
                      user ->
                          user.isEmpty()
                              ? new Outcome.Pending(commandId)
                              : new Outcome.Decided(r, user));
            });
  }

  /** Completes when the broker acknowledged the command; a 503 if it did not within the wait. */
  private CompletableFuture<Void> publish(
      Producer<String, SpecificRecord> producer, String topic, String key, SpecificRecord command) {
    var acknowledged = new CompletableFuture<Void>();
    try {
      producer.send(
          new ProducerRecord<>(topic, key, command),
          (metadata, error) -> {
            if (error == null) {
              acknowledged.complete(null);
            } else {
              acknowledged.completeExceptionally(unavailable());
            }
          });
    } catch (org.apache.kafka.common.KafkaException e) {
      // Not sent (the broker, its metadata or the schema registry out of reach).
      acknowledged.completeExceptionally(unavailable());
    }
    return acknowledged
        .orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            e ->
                CompletableFuture.failedFuture(
                    unwrap(e) instanceof ApiException api ? api : unavailable()));
  }

  /** The cause of a failed stage (what a handler threw, or why a wait failed). */
  public static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static ApiException unavailable() {
    return new ApiException(
        503,
        "unavailable",
        "the command could not be published; nothing was changed, retry",
        java.util.List.of(),
        java.util.Map.of("Retry-After", "1"));
  }

  /** Closes the producers and the waits it was given. */
  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    operatorProducer.close(Duration.ofSeconds(5));
    waits.close();
  }
}
