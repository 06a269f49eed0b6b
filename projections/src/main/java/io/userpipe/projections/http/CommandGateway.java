package io.userpipe.projections.http;

import io.userpipe.runtime.http.ApiException;
import io.userpipe.runtime.http.WorkGate;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.OfacCommand;
import io.userpipe.schemas.OfacReview;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCommand;
import io.userpipe.schemas.UserView;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The write side of the edge: publishes a command, then waits (bounded) for its one result in the
 * command-status view and for the user view to reach the version the result names, so that a read
 * after the answer sees the write. When the wait runs out the caller answers 202; it never guesses.
 *
 * <p>Platforms' commands and operators' review decisions leave through two producers: the operator
 * producer (its own client id, and its own principal once the broker has ACLs) is the only one that
 * writes {@code ofac.reviews}, and only for a request an operator authenticated.
 */
public final class CommandGateway implements AutoCloseable {

  /**
   * The first pause between two looks at the views; each pause doubles up to {@link #MAX_POLL_MS}.
   * A fixed 5 ms pause made 64 waiting requests read the stores 12,800 times a second, and the HTTP
   * door spent most of the stack's CPU on it under load.
   */
  private static final long FIRST_POLL_MS = 5;

  private static final long MAX_POLL_MS = 40;

  private final Producer<String, SpecificRecord> producer;
  private final Producer<String, SpecificRecord> operatorProducer;
  private final ViewQueries views;
  private final UserReader reader;
  private final Duration wait;

  public CommandGateway(
      Producer<String, SpecificRecord> producer,
      Producer<String, SpecificRecord> operatorProducer,
      ViewQueries views,
      UserReader reader,
      Duration wait) {
    this.producer = producer;
    this.operatorProducer = operatorProducer;
    this.views = views;
    this.reader = reader;
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
  public Outcome submit(String key, UserCommand command) {
    if (views.commandResult(command.getCommandId()).isEmpty()) {
      publish(producer, Topics.USER_COMMANDS.name(), key, command);
    }
    return await(command.getCommandId());
  }

  /** The same for a command that ofac-screener decides (topic ofac.commands, keyed by user). */
  public Outcome submit(OfacCommand command) {
    if (views.commandResult(command.getCommandId()).isEmpty()) {
      publish(producer, Topics.OFAC_COMMANDS.name(), command.getUserId(), command);
    }
    return await(command.getCommandId());
  }

  /**
   * The same for an operator's review decision (topic ofac.reviews, keyed by user), through the
   * operator producer.
   */
  public Outcome submit(OfacReview review) {
    if (views.commandResult(review.getCommandId()).isEmpty()) {
      publish(operatorProducer, Topics.OFAC_REVIEWS.name(), review.getUserId(), review);
    }
    return await(review.getCommandId());
  }

  /**
   * Waits (at most {@code limit}) until the user's view satisfies {@code condition}; the last
   * readable state either way.
   */
  public Optional<UserReader.ReadableUser> awaitUser(
      String userId, Predicate<UserView> condition, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    Optional<UserReader.ReadableUser> met =
        pollUntil(deadline, () -> reader.read(userId).filter(u -> condition.test(u.view())));
    return met.isPresent() ? met : reader.read(userId);
  }

  public Outcome await(String commandId) {
    long deadline = System.nanoTime() + wait.toNanos();
    Optional<CommandResult> result = pollUntil(deadline, () -> views.commandResult(commandId));
    if (result.isEmpty()) {
      return new Outcome.Pending(commandId);
    }
    CommandResult r = result.get();
    if (r.getUserId() == null || r.getUserVersion() == null) {
      return new Outcome.Decided(r, Optional.empty());
    }
    long version = r.getUserVersion();
    Optional<UserReader.ReadableUser> user =
        pollUntil(
            deadline,
            () -> reader.read(r.getUserId()).filter(u -> u.view().getVersion() >= version));
    return user.isEmpty() ? new Outcome.Pending(commandId) : new Outcome.Decided(r, user);
  }

  private void publish(
      Producer<String, SpecificRecord> producer, String topic, String key, SpecificRecord command) {
    try {
      producer
          .send(new ProducerRecord<>(topic, key, command))
          .get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable();
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      // Not acknowledged (the broker, its metadata or the schema registry out of reach).
      throw unavailable();
    }
  }

  private static <T> Optional<T> pollUntil(long deadline, Supplier<Optional<T>> probe) {
    long pause = FIRST_POLL_MS;
    while (true) {
      try {
        Optional<T> found = probe.get();
        if (found.isPresent()) {
          return found;
        }
      } catch (ApiException e) {
        if (e.status() != 503) {
          throw e;
        }
      }
      if (System.nanoTime() >= deadline) {
        return Optional.empty();
      }
      try {
        WorkGate.idle(pause); // its place in the HTTP door goes to another request meanwhile
        pause = Math.min(MAX_POLL_MS, pause * 2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      } catch (ApiException e) {
        return Optional.empty(); // no turn again in time: answered as still in flight
      }
    }
  }

  private static ApiException unavailable() {
    return new ApiException(
        503,
        "unavailable",
        "the command could not be published; nothing was changed, retry",
        java.util.List.of(),
        java.util.Map.of("Retry-After", "1"));
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    operatorProducer.close(Duration.ofSeconds(5));
  }
}
