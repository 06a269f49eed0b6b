package io.userpipe.ofac.topology;

import io.userpipe.ofac.domain.Finding;
import io.userpipe.ofac.domain.OfacCase;
import io.userpipe.ofac.domain.OfacDecider;
import io.userpipe.ofac.domain.OfacDecision;
import io.userpipe.ofac.domain.OfacEvent;
import io.userpipe.ofac.domain.OfacInput;
import io.userpipe.ofac.domain.OfacInput.Cause;
import io.userpipe.ofac.domain.ScreenedName;
import io.userpipe.ofac.domain.ScreeningCause;
import io.userpipe.ofac.list.SdnEntry;
import io.userpipe.ofac.list.SdnType;
import io.userpipe.ofac.match.MatcherVersion;
import io.userpipe.ofac.match.ProfileAgreement;
import io.userpipe.ofac.match.ScreeningIndex;
import io.userpipe.ofac.match.ScreeningMatch;
import io.userpipe.ofac.match.ScreeningQuery;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.RetentionKeys;
import io.userpipe.runtime.crypto.UserKeys;
import io.userpipe.runtime.serde.AvroLimits;
import io.userpipe.runtime.streams.InputLimits;
import io.userpipe.runtime.streams.PlatformDoor;
import io.userpipe.schemas.CommandOutcome;
import io.userpipe.schemas.CommandResult;
import io.userpipe.schemas.DecisionSubject;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.OfacCommand;
import io.userpipe.schemas.OfacReview;
import io.userpipe.schemas.OfacStatusChanged;
import io.userpipe.schemas.OfacUserState;
import io.userpipe.schemas.Rejection;
import io.userpipe.schemas.ResolveOfacReview;
import io.userpipe.schemas.ReviewDecision;
import io.userpipe.schemas.SubmitIdVerification;
import io.userpipe.schemas.TinSubmitted;
import io.userpipe.schemas.Topics;
import io.userpipe.schemas.UserCreated;
import io.userpipe.schemas.UserDeleted;
import io.userpipe.schemas.UserEvent;
import io.userpipe.schemas.UserKey;
import io.userpipe.schemas.UserProfile;
import io.userpipe.schemas.UserUpdated;
import io.userpipe.schemas.W8BenSubmitted;
import io.userpipe.schemas.vocabulary.OfacHint;
import io.userpipe.schemas.vocabulary.OfacStatus;
import io.userpipe.schemas.vocabulary.RejectionCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns each user's OFAC status: loads the user's case, asks {@link OfacDecider} and writes what it
 * decided. Screens every name it holds for the person (the profile's, and each tax form's names,
 * sealed apart from the tax ids: {@link SealedNames}) on creation, on every profile change and on
 * every W-9 or W-8BEN, re-screens every user of its partition when a new list version is in force
 * (a few hundred per timer tick, with a durable cursor, so a restart resumes), and takes the
 * ID-verification commands (from {@code ofac.commands}) and the reviewers' decisions (from {@code
 * ofac.reviews} only). The rules of the life cycle are the decider's; what is left here is the
 * transport: opening the sealed names, searching the list, which topic a command may come on, and
 * the answers.
 */
final class ScreenUsers implements Processor<String, Object, String, Object> {
  static {
    AvroLimits.apply(); // it decodes Avro itself: the limits hold before its first decode
  }

  private static final Logger log = LoggerFactory.getLogger(ScreenUsers.class);
  static final String VERSION = "version";
  static final String CURSOR = "cursor";

  /** How many matches a screening hands the decider (it keeps the first uncleared ones). */
  private static final int MATCHES = 10;

  /**
   * A pending screening's value is the event id, then this and the cause when the profile change is
   * more than a screening (values written before it have no cause: a plain screening).
   */
  private static final String CAUSE_SEPARATOR = "\n";

  /** The command type of a review's result, whichever topic it came from. */
  static final String REVIEW_TYPE = "ResolveOfacReview";

  /** A review's result names its operator where a command's names its platform. */
  static final String OPERATOR_PREFIX = "operator:";

  private final Supplier<ScreeningIndex> index;
  private final Supplier<String> matcher;
  private final SealedNames sealed;
  private final RetentionKeys retention;
  private final double threshold;
  private final int batch;
  private final Clock clock;
  private ProcessorContext<String, Object> context;

  /**
   * While a command is decided: the platform whose own topic it came on (the Kafka door), whose
   * results topic gets a copy of its result; empty for the HTTP edge's {@code ofac.commands}.
   */
  private Optional<String> door = Optional.empty();

  private KeyValueStore<String, UserKey> keys;
  private KeyValueStore<String, OfacUserState> users;
  private KeyValueStore<String, String> pending;
  private KeyValueStore<String, String> progress;

  ScreenUsers(
      Supplier<ScreeningIndex> index,
      Supplier<String> matcher,
      DataKeys dataKeys,
      RetentionKeys retention,
      double threshold,
      int batch,
      Clock clock) {
    this.index = index;
    this.matcher = matcher;
    this.sealed = new SealedNames(new UserKeys(dataKeys));
    this.retention = retention;
    this.threshold = threshold;
    this.batch = batch;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    keys = context.getStateStore(OfacScreenerTopology.USER_KEYS);
    users = context.getStateStore(OfacScreenerTopology.USERS);
    pending = context.getStateStore(OfacScreenerTopology.PENDING);
    progress = context.getStateStore(OfacScreenerTopology.PROGRESS);
    context.schedule(Duration.ofMillis(500), PunctuationType.WALL_CLOCK_TIME, t -> tick());
  }

  @Override
  public void process(Record<String, Object> record) {
    if (record.value() instanceof UserEvent event) {
      onUserEvent(event);
    } else if (record.value() instanceof OfacCommand command) {
      door = PlatformDoor.sourcePlatform(context);
      try {
        onCommand(command);
      } finally {
        door = Optional.empty();
      }
    } else if (record.value() instanceof OfacReview review) {
      onReview(review);
    }
  }

  private void onUserEvent(UserEvent event) {
    String userId = event.getUserId();
    OfacUserState before = users.get(userId);
    OfacUserState.Builder next =
        before == null
            ? OfacUserState.newBuilder().setUserId(userId)
            : OfacUserState.newBuilder(before);
    Object payload = event.getPayload();
    if (payload instanceof UserCreated created) {
      next.setProfile(created.getProfile());
    } else if (payload instanceof UserUpdated updated) {
      next.setProfile(updated.getProfile());
    } else if (payload instanceof TinSubmitted tin && tin.getScreening() != null) {
      next.setFormNames(withForm(before, SealedNames.W9, tin.getScreening()));
    } else if (payload instanceof W8BenSubmitted w8 && w8.getScreening() != null) {
      next.setFormNames(withForm(before, SealedNames.W8BEN, w8.getScreening()));
    } else {
      if (payload instanceof UserDeleted) {
        users.delete(userId);
        pending.delete(userId);
      }
      return;
    }
    OfacUserState state = next.build();
    Cause cause =
        before == null || before.getStatus() == null ? Cause.SCREENING : cause(before, state);
    // screening stores the screened state; only a user waiting for it is stored as it is
    if (!screen(state, cause, event.getEventId() + "/ofac", event.getVersion())) {
      users.put(userId, state);
      Cause waiting = pendingCause(pending.get(userId));
      if (cause == Cause.SCREENING) {
        cause = waiting; // an earlier change still waiting is not forgotten
      }
      pending.put(
          userId,
          event.getEventId()
              + "/ofac"
              + (cause == Cause.SCREENING ? "" : CAUSE_SEPARATOR + cause.name()));
    }
  }

  /** The user's sealed form names with one form's replaced: a resubmission supersedes. */
  private static Map<String, EncryptedValue> withForm(
      OfacUserState before, String form, EncryptedValue names) {
    Map<String, EncryptedValue> forms =
        new HashMap<>(before == null ? Map.of() : before.getFormNames());
    forms.put(form, names);
    return forms;
  }

  /**
   * What a change of the profile or of a tax form changed for the screening ({@link
   * ScreeningCause}): a name, or a date of birth (supplied where there was none, or changed). A
   * profile that cannot be compared counts as changed.
   */
  private Cause cause(OfacUserState before, OfacUserState after) {
    UserKey key = keys.get(after.getUserId());
    if (key == null || before.getProfile() == null || after.getProfile() == null) {
      return Cause.PROFILE_CHANGED;
    }
    EncryptedValue k = key.getWrappedKey();
    UserProfile was = sealed.profile(before, k);
    UserProfile now = sealed.profile(after, k);
    if (was == null || now == null) {
      return Cause.PROFILE_CHANGED;
    }
    return ScreeningCause.between(
        SealedNames.all(was, sealed.forms(before, k)),
        SealedNames.all(now, sealed.forms(after, k)));
  }

  private static Cause pendingCause(String pendingValue) {
    int i = pendingValue == null ? -1 : pendingValue.indexOf(CAUSE_SEPARATOR);
    return i < 0 ? Cause.SCREENING : Cause.valueOf(pendingValue.substring(i + 1));
  }

  private static String pendingEventId(String pendingValue) {
    int i = pendingValue.indexOf(CAUSE_SEPARATOR);
    return i < 0 ? pendingValue : pendingValue.substring(0, i);
  }

  /**
   * Screens one user against the list in force and stores the user's state; false, storing nothing,
   * when that cannot be done yet.
   */
  private boolean screen(OfacUserState state, Cause cause, String eventId, Long userVersion) {
    ScreeningIndex current = index.get();
    UserKey key = keys.get(state.getUserId());
    if (current == null || key == null || state.getProfile() == null) {
      return false;
    }
    UserProfile profile = sealed.profile(state, key.getWrappedKey());
    if (profile == null) {
      users.put(state.getUserId(), state);
      return true; // unreadable: logged; nothing to screen
    }
    List<ScreenedName> forms = sealed.forms(state, key.getWrappedKey());
    List<Finding> found = new ArrayList<>();
    Map<Finding, ScreenedName> searched = new IdentityHashMap<>(); // which name found it
    for (ScreenedName name : SealedNames.all(profile, forms)) {
      ScreeningQuery query = query(name);
      for (ScreeningMatch m : current.search(query, threshold, MATCHES)) {
        Finding f =
            Evidence.of(m, current.version(), name.source())
                .withHint(
                    ProfileAgreement.birthDateWouldDecide(query, m, threshold)
                        ? OfacHint.DATE_OF_BIRTH_WOULD_HELP
                        : null);
        found.add(f);
        searched.put(f, name);
      }
    }
    // the tokens are told for the findings kept, after the searches: searching costs no more
    List<Finding> matches =
        Finding.bestPerEntry(found).stream()
            .map(
                f ->
                    Evidence.explained(
                        f, current, searched.get(f).name(), query(searched.get(f)).type()))
            .toList();
    OfacCase before = OfacCases.toCase(state);
    var input =
        new OfacInput.Screen(
            cause, matches, current.version(), matcher.get(), delisted(before, current));
    apply(
        state,
        (OfacDecision.Accepted) OfacDecider.decide(before, input),
        eventId,
        userVersion,
        () -> subject(state.getUserId(), profile, forms));
    return true;
  }

  /**
   * A name's search: a person's name among listed individuals, a business name among listed
   * entities (a company is no match for a person of the same name, nor the other way round); the
   * same source's date of birth and country as evidence for or against.
   */
  private static ScreeningQuery query(ScreenedName name) {
    return new ScreeningQuery(
        name.searchName(),
        name.business() ? SdnType.ENTITY : SdnType.INDIVIDUAL,
        name.dateOfBirth(),
        name.country());
  }

  /** The entries of a case's evidence that the list in force no longer has. */
  private static Set<Integer> delisted(OfacCase state, ScreeningIndex current) {
    Set<Integer> held = new HashSet<>();
    for (Finding f : state.evidence()) {
      if (f.matches() && !current.version().equals(f.listVersion())) {
        held.add(f.entNum());
      }
    }
    if (held.isEmpty()) {
      return Set.of(); // almost every screening: no search through the list
    }
    for (SdnEntry entry : current.list().entries()) {
      held.remove(entry.entNum());
    }
    return held;
  }

  /**
   * Writes what the decider decided: the state after its events, with the screening time when it
   * screened, and each status change on {@code ofac.screenings}.
   */
  private void apply(
      OfacUserState state,
      OfacDecision.Accepted decision,
      String eventId,
      Long userVersion,
      Supplier<EncryptedValue> subject) {
    apply(state, decision, eventId, userVersion, subject, null);
  }

  /**
   * {@code verification} the platform's ID verification that made the decision (its provider and
   * reference go on the status change, for the reviewer to look up), or null.
   */
  private void apply(
      OfacUserState state,
      OfacDecision.Accepted decision,
      String eventId,
      Long userVersion,
      Supplier<EncryptedValue> subject,
      SubmitIdVerification verification) {
    OfacCase c = OfacCases.toCase(state);
    boolean screened = false;
    for (OfacEvent e : decision.events()) {
      c = OfacDecider.evolve(c, e);
      if (e instanceof OfacEvent.Screened) {
        screened = true;
      } else if (e instanceof OfacEvent.StatusChanged changed) {
        emit(state.getUserId(), changed, eventId, userVersion, subject.get(), verification);
      }
    }
    var next = OfacCases.toState(state, c); // the matcher version screening is the case's
    if (screened) {
      next.setScreenedAt(clock.instant());
    }
    users.put(state.getUserId(), next.build());
  }

  /**
   * Whom the decision is about, as screened (the profile's name and date of birth, and the tax
   * forms' names with theirs), sealed under this month's retention key: erasing the person shreds
   * their user key, not this, so the decision stays readable for the legal period
   * (docs/SECURITY.md, "Retention").
   */
  private EncryptedValue subject(String userId, UserProfile profile, List<ScreenedName> forms) {
    ScreenedName own = SealedNames.profileName(profile);
    return retention.seal(
        userId,
        DecisionSubject.newBuilder()
            .setName(own.name())
            .setDateOfBirth(own.dateOfBirth())
            .setCountry(own.country()) // the profile's query names no country
            .setFormNames(SealedNames.toAvro(forms))
            .build());
  }

  /** The subject of a decision that is not a screening: the names last screened. */
  private EncryptedValue subject(OfacUserState state) {
    UserKey key = keys.get(state.getUserId());
    if (key == null || state.getProfile() == null) {
      return null;
    }
    UserProfile profile = sealed.profile(state, key.getWrappedKey());
    return profile == null
        ? null
        : subject(state.getUserId(), profile, sealed.forms(state, key.getWrappedKey()));
  }

  private void onCommand(OfacCommand command) {
    InputLimits.requireCommandId(command.getCommandId()); // else dead-lettered with the limit
    String userId = command.getUserId();
    Object payload = command.getPayload();
    String type = payload.getClass().getSimpleName();
    if (door.isPresent() && !door.get().equals(command.getPlatformId())) {
      String claimed = command.getPlatformId();
      command.setPlatformId(door.get()); // answered to the platform whose topic it came on
      reject(
          command,
          type,
          RejectionCode.FORBIDDEN,
          "platform_id",
          "names platform "
              + claimed
              + ", but the command came in on platform "
              + door.get()
              + "'s topic; a platform acts only for itself");
      return;
    }
    if (payload instanceof ResolveOfacReview) {
      // ofac.commands is the platforms' topic: whatever reviewer it names, no operator
      // authenticated for it. Reviews are taken from ofac.reviews alone (docs/SECURITY.md).
      reject(
          command,
          type,
          RejectionCode.FORBIDDEN,
          "payload",
          "a review decision is taken only from an authenticated operator on "
              + Topics.OFAC_REVIEWS.name()
              + ", never from "
              + Topics.OFAC_COMMANDS.name());
      return;
    }
    OfacUserState state = users.get(userId);
    OfacDecision decision =
        OfacDecider.decide(
            state == null ? null : OfacCases.toCase(state),
            new OfacInput.SubmitIdVerification(command.getCommandId()));
    if (decision instanceof OfacDecision.Rejected r) {
      reject(command, type, r.code(), r.field(), r.message());
      return;
    }
    apply(
        state,
        (OfacDecision.Accepted) decision,
        command.getCommandId() + "/ofac",
        null,
        () -> subject(state),
        payload instanceof SubmitIdVerification v ? v : null);
    accept(command, type);
  }

  /** An operator's decision: {@code in_review} to unflagged (clear) or flagged (confirm). */
  private void onReview(OfacReview review) {
    InputLimits.requireCommandId(review.getCommandId()); // else dead-lettered with the limit
    String userId = review.getUserId();
    String platform = OPERATOR_PREFIX + review.getOperatorId();
    OfacUserState state = users.get(userId);
    OfacDecision decision =
        OfacDecider.decide(
            state == null ? null : OfacCases.toCase(state),
            new OfacInput.Review(
                review.getCommandId(),
                review.getDecision() == ReviewDecision.CLEAR,
                review.getScreeningVersion(),
                review.getOperatorId(), // the authenticated operator, the one reviewer on record
                review.getNote()));
    if (decision instanceof OfacDecision.Rejected r) {
      result(
          review.getCommandId(),
          platform,
          userId,
          CommandOutcome.REJECTED,
          new Rejection(r.code().wire(), r.field(), r.message()));
      return;
    }
    apply(
        state,
        (OfacDecision.Accepted) decision,
        review.getCommandId() + "/ofac",
        null,
        () -> subject(state));
    result(review.getCommandId(), platform, userId, CommandOutcome.ACCEPTED, null);
  }

  private void tick() {
    ScreeningIndex current = index.get();
    if (current == null) {
      return;
    }
    List<KeyValue<String, String>> waiting = new ArrayList<>();
    try (var it = pending.all()) {
      while (it.hasNext() && waiting.size() < batch) {
        waiting.add(it.next());
      }
    }
    for (var w : waiting) {
      OfacUserState state = users.get(w.key);
      if (state == null || screen(state, pendingCause(w.value), pendingEventId(w.value), null)) {
        pending.delete(w.key);
      }
    }
    if (pass(current).equals(progress.get(VERSION))) {
      return;
    }
    rescreenSome(current);
  }

  /**
   * A re-screening pass is for one list version and one matcher version. (A progress value written
   * before matcher versions is the list version alone: after the upgrade one pass goes through the
   * store and screens nobody, every user being up to date.)
   */
  private String pass(ScreeningIndex current) {
    return current.version() + "/" + matcher.get();
  }

  private static String matcherOf(OfacUserState state) {
    return state.getMatcherVersion() == null ? MatcherVersion.FIRST : state.getMatcherVersion();
  }

  /**
   * Re-screens the next batch of users against a new list or matcher version, resuming from the
   * cursor.
   */
  private void rescreenSome(ScreeningIndex current) {
    // The cursor belongs to one pass: a newer version arriving mid-pass starts from the beginning.
    String saved = progress.get(CURSOR);
    String prefix = pass(current) + "|";
    String cursor =
        saved != null && saved.startsWith(prefix) ? saved.substring(prefix.length()) : null;
    List<OfacUserState> next = new ArrayList<>(batch);
    try (var it = cursor == null ? users.all() : users.range(cursor + "\u0000", null)) {
      while (it.hasNext() && next.size() < batch) {
        next.add(it.next().value);
      }
    }
    for (OfacUserState state : next) {
      if (!current.version().equals(state.getListVersion())) {
        screen(
            state, Cause.LIST_VERSION, state.getUserId() + "/rescreen/" + current.version(), null);
      } else if (!matcher.get().equals(matcherOf(state))) {
        screen(
            state,
            Cause.MATCHER_VERSION,
            state.getUserId() + "/rescreen/" + current.version() + "/matcher/" + matcher.get(),
            null);
      }
    }
    if (next.size() < batch) {
      progress.put(VERSION, pass(current));
      progress.delete(CURSOR);
      if (cursor != null || !next.isEmpty()) {
        log.info(
            "Task {}: every user re-screened against list and matcher version {}",
            context.taskId(),
            pass(current));
      }
    } else {
      progress.put(CURSOR, prefix + next.get(next.size() - 1).getUserId());
      log.info(
          "Task {}: re-screening against list and matcher version {}, up to user {}",
          context.taskId(),
          pass(current),
          next.get(next.size() - 1).getUserId());
    }
  }

  private void emit(
      String userId,
      OfacEvent.StatusChanged c,
      String eventId,
      Long userVersion,
      EncryptedValue subject,
      SubmitIdVerification verification) {
    Instant now = clock.instant();
    String previous = c.previous() == null ? null : c.previous().wire();
    var event =
        OfacStatusChanged.newBuilder()
            .setEventId(eventId)
            .setUserId(userId)
            .setPreviousStatus(previous)
            .setStatus(c.status().wire())
            .setReason(c.reason())
            .setEvidence(OfacCases.evidence(c.evidence()))
            .setListVersion(c.listVersion() == null ? "" : c.listVersion())
            .setMatcherVersion(c.matcherVersion())
            .setCommandId(c.commandId())
            .setReviewer(c.reviewer())
            .setNote(c.note())
            .setSubject(subject)
            .setScreeningVersion(c.screeningVersion())
            .setUserVersion(userVersion)
            .setIdVerificationProvider(verification == null ? null : verification.getProvider())
            .setIdVerificationReference(verification == null ? null : verification.getReference())
            .setOccurredAt(now)
            .build();
    if (previous == null && c.status() == OfacStatus.UNFLAGGED) {
      // the routine first verdict of almost every user: one line per user would drown the rest
      log.debug(
          "User {} OFAC status {} -> {} ({})", userId, previous, event.getStatus(), c.reason());
    } else {
      log.info(
          "User {} OFAC status {} -> {} ({}, screening version {})",
          userId,
          previous,
          event.getStatus(),
          c.reason(),
          c.screeningVersion());
    }
    context.forward(
        new Record<>(userId, (Object) event, now.toEpochMilli()),
        OfacScreenerTopology.TO_SCREENINGS);
  }

  private void accept(OfacCommand command, String type) {
    result(command, type, CommandOutcome.ACCEPTED, null);
  }

  private void reject(
      OfacCommand command, String type, RejectionCode code, String field, String message) {
    result(command, type, CommandOutcome.REJECTED, new Rejection(code.wire(), field, message));
  }

  private void result(
      OfacCommand command, String type, CommandOutcome outcome, Rejection rejection) {
    result(
        command.getCommandId(),
        command.getPlatformId(),
        type,
        command.getUserId(),
        outcome,
        rejection);
  }

  private void result(
      String commandId,
      String platformId,
      String userId,
      CommandOutcome outcome,
      Rejection rejection) {
    result(commandId, platformId, REVIEW_TYPE, userId, outcome, rejection);
  }

  private void result(
      String commandId,
      String platformId,
      String type,
      String userId,
      CommandOutcome outcome,
      Rejection rejection) {
    Instant now = clock.instant();
    var result =
        CommandResult.newBuilder()
            .setCommandId(commandId)
            .setPlatformId(platformId)
            .setCommandType(type)
            .setOutcome(outcome)
            .setUserId(userId)
            .setRejection(rejection)
            .setDecidedAt(now)
            .build();
    var answer = new Record<>(commandId, (Object) result, now.toEpochMilli());
    context.forward(answer, OfacScreenerTopology.TO_RESULTS);
    if (door.isPresent()) {
      context.forward(answer, OfacScreenerTopology.TO_DOOR_RESULTS);
    }
  }
}
