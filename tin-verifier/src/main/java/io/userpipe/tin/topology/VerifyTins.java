package io.userpipe.tin.topology;

import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.RetentionKeys;
import io.userpipe.runtime.crypto.UserKeys;
import io.userpipe.runtime.streams.DueIndex;
import io.userpipe.schemas.DecisionSubject;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.TinCheck;
import io.userpipe.schemas.TinCheckOutcome;
import io.userpipe.schemas.TinCheckRequest;
import io.userpipe.schemas.TinCheckResponse;
import io.userpipe.schemas.TinSubmissionState;
import io.userpipe.schemas.TinSubmitted;
import io.userpipe.schemas.TinVerification;
import io.userpipe.schemas.UserDeleted;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserKey;
import io.userpipe.schemas.vocabulary.TinStatus;
import io.userpipe.tin.domain.RetryPolicy;
import io.userpipe.tin.domain.TinCommand;
import io.userpipe.tin.domain.TinDecider;
import io.userpipe.tin.domain.TinEvent;
import io.userpipe.tin.domain.TinState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Locale;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a TIN verification, per user: a submission becomes pending and a request to the
 * worker; the worker's answer decides matched or mismatched; silence or errors are retried from
 * durable timers kept in a store (not threads), so pending verifications survive restarts. The
 * stream thread never waits for the provider: requests and answers travel on topics.
 */
final class VerifyTins implements Processor<String, Object, String, Object> {

  private static final Logger log = LoggerFactory.getLogger(VerifyTins.class);

  private final UserKeys userKeys;
  private final DataKeys dataKeys;
  private final RetentionKeys retention;
  private final TinDecider decider;
  private final Clock clock;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, UserKey> keys;
  private KeyValueStore<String, TinSubmissionState> submissions;
  private KeyValueStore<String, String> due;

  VerifyTins(DataKeys dataKeys, RetentionKeys retention, RetryPolicy retries, Clock clock) {
    this.userKeys = new UserKeys(dataKeys);
    this.dataKeys = dataKeys;
    this.retention = retention;
    this.decider = new TinDecider(retries);
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    keys = context.getStateStore(TinVerifierTopology.USER_KEYS);
    submissions = context.getStateStore(TinVerifierTopology.SUBMISSIONS);
    due = context.getStateStore(TinVerifierTopology.DUE);
    context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::askAgainWhenDue);
  }

  @Override
  public void process(Record<String, Object> record) {
    if (record.value() instanceof UserEvent event) {
      if (event.getPayload() instanceof TinSubmitted submitted) {
        onSubmitted(record, event, submitted);
      } else if (event.getPayload() instanceof UserDeleted) {
        decide(record, event.getUserId(), new TinCommand.Forget(), clock.instant(), null);
      }
    } else if (record.value() instanceof TinCheckResponse response) {
      onResponse(record, response);
    }
  }

  /** A new submission supersedes whatever was pending: late answers for the old one are ignored. */
  private void onSubmitted(Record<String, Object> record, UserEvent event, TinSubmitted submitted) {
    String userId = event.getUserId();
    UserKey userKey = keys.get(userId);
    if (userKey == null) {
      log.warn(
          "TIN submission {} of user {} without a user key (deleted?); skipped",
          submitted.getSubmissionId(),
          userId);
      return;
    }
    byte[] check = userKeys.open(userKey.getWrappedKey(), userId, "tin", submitted.getCheck());
    // Re-sealed under a data key for the worker: it has no business with users' keys.
    EncryptedValue forWorker = dataKeys.seal(check, checkContext(submitted.getSubmissionId()));
    decide(
        record,
        userId,
        new TinCommand.Submit(userId, submitted.getSubmissionId(), event.getOccurredAt()),
        clock.instant(),
        new Submitted(check, forWorker));
  }

  private void onResponse(Record<String, Object> record, TinCheckResponse response) {
    String id = response.getSubmissionId();
    TinCommand command;
    if (response.getOutcome() == TinCheckOutcome.ANSWERED) {
      command = new TinCommand.Answered(id, response.getIrsCode());
    } else if (response.getOutcome() == TinCheckOutcome.NOT_YET) {
      command =
          new TinCommand.NotYet(
              id,
              response.getRetryAfterMs() == null
                  ? null
                  : Duration.ofMillis(response.getRetryAfterMs()));
    } else {
      command = new TinCommand.Failed(id, response.getError());
      TinSubmissionState state = submissions.get(response.getUserId());
      if (state != null
          && state.getSubmissionId().equals(id)
          && TinStatus.PENDING.equals(state.getStatus())) {
        log.warn(
            "TIN check {} failed (attempt {}): {}", id, state.getAttempt(), response.getError());
      }
    }
    decide(record, response.getUserId(), command, clock.instant(), null);
  }

  /** The durable timer: every due pending verification is asked again. */
  private void askAgainWhenDue(long wallClockMillis) {
    var dueNow = new ArrayList<KeyValue<String, String>>();
    try (var it = due.range(DueIndex.from(), DueIndex.upTo(wallClockMillis))) {
      it.forEachRemaining(dueNow::add);
    }
    Instant now = Instant.ofEpochMilli(wallClockMillis);
    for (var entry : dueNow) {
      due.delete(entry.key);
      decide(
          new Record<>(entry.value, null, wallClockMillis),
          entry.value,
          new TinCommand.CheckDue(),
          now,
          null);
    }
  }

  /** A submission's opened check and its copy sealed for the worker. */
  private record Submitted(byte[] check, EncryptedValue forWorker) {}

  /**
   * Loads the user's state, asks the decider, and writes what it decided: the state (and its due
   * index), the status changes on tin.verifications, the requests to the worker.
   */
  private void decide(
      Record<?, ?> cause, String userId, TinCommand command, Instant now, Submitted submitted) {
    TinSubmissionState stored = submissions.get(userId);
    TinState state = toDomain(stored);
    for (TinEvent event : decider.decide(state, command, now)) {
      state = TinDecider.evolve(state, event);
      if (event instanceof TinEvent.Forgotten) {
        forget(userId);
        stored = null;
        continue;
      }
      EncryptedValue check;
      if (event instanceof TinEvent.VerificationRequested) {
        check = submitted.forWorker();
      } else if (event instanceof TinEvent.VerificationDecided) {
        check = null; // dropped once decided
      } else {
        check = stored.getCheck();
      }
      TinSubmissionState next = toAvro(state, check);
      save(stored, next);
      if (event instanceof TinEvent.VerificationRequested r) {
        emit(
            cause,
            userId,
            r.submissionId(),
            r.previousStatus(),
            TinStatus.PENDING,
            "submitted",
            null,
            r.at(),
            subject(userId, submitted.check()));
        request(cause, next);
      } else if (event instanceof TinEvent.VerificationDecided d) {
        emit(
            cause,
            userId,
            d.submissionId(),
            TinStatus.PENDING,
            d.status(),
            d.reason(),
            d.irsCode(),
            d.at(),
            subject(userId, dataKeys.open(stored.getCheck(), checkContext(d.submissionId()))));
      } else if (event instanceof TinEvent.CheckAskedAgain) {
        request(cause, next);
      }
      stored = next;
    }
  }

  private static TinState toDomain(TinSubmissionState s) {
    return s == null
        ? null
        : new TinState(
            s.getSubmissionId(),
            s.getUserId(),
            s.getStatus(),
            s.getAttempt(),
            s.getSubmittedAt(),
            s.getNextCheckAt());
  }

  private static TinSubmissionState toAvro(TinState s, EncryptedValue check) {
    return TinSubmissionState.newBuilder()
        .setSubmissionId(s.submissionId())
        .setUserId(s.userId())
        .setStatus(s.status())
        .setAttempt(s.attempt())
        .setSubmittedAt(s.submittedAt())
        .setNextCheckAt(s.nextCheckAt())
        .setCheck(check)
        .build();
  }

  private void forget(String userId) {
    TinSubmissionState state = submissions.get(userId);
    if (state != null) {
      if (state.getNextCheckAt() != null) {
        due.delete(DueIndex.key(state.getNextCheckAt(), userId));
      }
      submissions.delete(userId);
    }
  }

  /** Stores the state and keeps the due index in step with it. */
  private void save(TinSubmissionState before, TinSubmissionState after) {
    if (before != null && before.getNextCheckAt() != null) {
      due.delete(DueIndex.key(before.getNextCheckAt(), before.getUserId()));
    }
    if (after.getNextCheckAt() != null) {
      due.put(DueIndex.key(after.getNextCheckAt(), after.getUserId()), after.getUserId());
    }
    submissions.put(after.getUserId(), after);
  }

  private void request(Record<?, ?> cause, TinSubmissionState state) {
    var request =
        new TinCheckRequest(
            state.getSubmissionId(),
            state.getUserId(),
            state.getAttempt(),
            state.getSubmittedAt(),
            state.getCheck());
    context.forward(
        new Record<String, Object>(state.getUserId(), request, cause.timestamp()),
        TinVerifierTopology.TO_REQUESTS);
  }

  private static String checkContext(String submissionId) {
    return "tin-check:" + submissionId;
  }

  /**
   * Whom the verification is about, sealed under this month's retention key so that it outlives the
   * person's erasure for the legal period: the name matched against, the TIN type and the last four
   * digits, never the whole TIN.
   */
  private EncryptedValue subject(String userId, byte[] sealedCheck) {
    TinCheck check;
    try {
      check = TinCheck.getDecoder().decode(ByteBuffer.wrap(sealedCheck));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return retention.seal(userId, subjectOf(check));
  }

  static DecisionSubject subjectOf(TinCheck check) {
    String tin = check.getTin();
    return DecisionSubject.newBuilder()
        .setName(check.getName())
        .setTinType(check.getTinType())
        .setTinLastFour(tin.length() <= 4 ? null : tin.substring(tin.length() - 4))
        .build();
  }

  private void emit(
      Record<?, ?> cause,
      String userId,
      String submissionId,
      String from,
      String to,
      String reason,
      Integer irsCode,
      Instant at,
      EncryptedValue subject) {
    String eventId =
        UUID.nameUUIDFromBytes(("tin:" + submissionId + ":" + to).getBytes(StandardCharsets.UTF_8))
            .toString();
    var change =
        TinVerification.newBuilder()
            .setEventId(eventId)
            .setUserId(userId)
            .setSubmissionId(submissionId)
            .setFromStatus(from)
            .setToStatus(to)
            .setReason(reason.toLowerCase(Locale.ROOT))
            .setIrsCode(irsCode)
            .setSubject(subject)
            .setOccurredAt(at)
            .build();
    context.forward(
        new Record<String, Object>(userId, change, cause.timestamp()),
        TinVerifierTopology.TO_VERIFICATIONS);
  }
}
