package io.userpipe.commands.domain;

import io.userpipe.commands.domain.Command.AddPayoutMethod;
import io.userpipe.commands.domain.Command.CreateUser;
import io.userpipe.commands.domain.Command.DeleteUser;
import io.userpipe.commands.domain.Command.RemovePayoutMethod;
import io.userpipe.commands.domain.Command.SendVerificationToken;
import io.userpipe.commands.domain.Command.SubmitCompliance;
import io.userpipe.commands.domain.Command.UpdateUser;
import io.userpipe.commands.domain.Command.VerifyUser;
import io.userpipe.commands.domain.Command.W9;
import io.userpipe.commands.domain.Event.DefaultPayoutMethodChanged;
import io.userpipe.commands.domain.Event.PayoutMethodAdded;
import io.userpipe.commands.domain.Event.PayoutMethodRemoved;
import io.userpipe.commands.domain.Event.PlatformConnected;
import io.userpipe.commands.domain.Event.TinSubmitted;
import io.userpipe.commands.domain.Event.UserCreated;
import io.userpipe.commands.domain.Event.UserDeleted;
import io.userpipe.commands.domain.Event.UserUpdated;
import io.userpipe.commands.domain.Event.UserVerified;
import io.userpipe.commands.domain.Event.VerificationAttemptFailed;
import io.userpipe.commands.domain.Event.VerificationTokenIssued;
import io.userpipe.commands.domain.Event.W8BenSubmitted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rules of the user aggregate as a pure pair: {@code decide(state, command, now)} says what
 * happens, {@code evolve(state, event)} applies it. No Kafka, no clock, no randomness of its own:
 * time comes in as an argument and codes from {@link Codes}.
 */
public final class UserDecider {

  private final CreateUserValidator fieldRules;
  private final ComplianceRules complianceRules;
  private final VerificationPolicy policy;
  private final Codes codes;
  private final PayoutRules payoutRules = new PayoutRules(new PhoneNormalizer());

  /** The most payout methods one user may have. */
  public static final int MAX_PAYOUT_METHODS = 10;

  public UserDecider(CreateUserValidator fieldRules, VerificationPolicy policy, Codes codes) {
    this.fieldRules = fieldRules;
    this.complianceRules = new ComplianceRules(fieldRules);
    this.policy = policy;
    this.codes = codes;
  }

  /**
   * Decides a command addressed to {@code envelope.userId()}; {@code state} is null when that user
   * does not exist yet.
   */
  public Decision decide(User state, CommandEnvelope envelope, Instant now) {
    return decide(state, envelope, now, null);
  }

  /**
   * As above, knowing the user's OFAC status ({@code null} before the first screening): a flagged
   * user cannot add payout methods.
   */
  public Decision decide(User state, CommandEnvelope envelope, Instant now, String ofacStatus) {
    // Java 17 has no pattern switch: the sealed hierarchy keeps this chain exhaustive by review.
    Command command = envelope.command();
    if (command instanceof CreateUser create) {
      return decideCreate(state, envelope, create);
    }
    // A platform sees only its own users; the others do not exist for it (ids do not leak).
    if (state == null || state.deleted() || !state.isConnectedTo(envelope.platformId())) {
      return new Decision.Rejected(Rejection.notFound("no user " + envelope.userId()));
    }
    if (command instanceof UpdateUser update) {
      return decideUpdate(state, update);
    }
    if (command instanceof DeleteUser) {
      return new Decision.Accepted(state.id(), List.of(new UserDeleted()), false);
    }
    if (command instanceof SendVerificationToken) {
      return decideSend(state, now);
    }
    if (command instanceof VerifyUser verify) {
      return decideVerify(state, verify, now);
    }
    if (command instanceof SubmitCompliance submit) {
      return decideCompliance(state, envelope, submit);
    }
    if (command instanceof AddPayoutMethod add) {
      return decideAddPayoutMethod(state, envelope, add, ofacStatus);
    }
    if (command instanceof RemovePayoutMethod remove) {
      return decideRemovePayoutMethod(state, remove);
    }
    throw new IllegalArgumentException("unknown command " + envelope.type());
  }

  private Decision decideCreate(User state, CommandEnvelope envelope, CreateUser create) {
    var validated = fieldRules.validate(create);
    if (validated instanceof PhoneNormalizer.Result.Invalid invalid) {
      return new Decision.Rejected(invalid.rejection());
    }
    Phone phone = ((PhoneNormalizer.Result.Valid) validated).phone();
    if (state == null) {
      var profile =
          new Profile(
              create.firstName(),
              create.lastName(),
              create.email(),
              phone,
              create.username(),
              create.dateOfBirth(),
              create.metadata());
      return new Decision.Accepted(envelope.userId(), List.of(new UserCreated(profile)), true);
    }
    if (state.deleted()) {
      // The phone registry has not yet freed the number of a user deleted a moment ago.
      return new Decision.Rejected(
          Rejection.of(
              Rejection.CONFLICT, "a user with this phone number is being deleted; retry"));
    }
    // Same phone, already a user: Dots answers with the existing user and connects the platform.
    List<Event> events =
        state.isConnectedTo(envelope.platformId()) ? List.of() : List.of(new PlatformConnected());
    return new Decision.Accepted(state.id(), events, false);
  }

  private Decision decideUpdate(User state, UpdateUser update) {
    var broken = fieldRules.validateUpdate(update);
    if (broken.isPresent()) {
      return new Decision.Rejected(broken.get());
    }
    Profile p = state.profile();
    var changed =
        new Profile(
            orElse(update.firstName(), p.firstName()),
            orElse(update.lastName(), p.lastName()),
            orElse(update.email(), p.email()),
            p.phone(),
            p.username(),
            orElse(update.dateOfBirth(), p.dateOfBirth()),
            update.metadata() == null ? p.metadata() : update.metadata(),
            p.address());
    List<Event> events = new ArrayList<>();
    if (!changed.equals(p)) {
      events.add(new UserUpdated(changed));
    }
    String wanted = update.defaultPayoutMethod();
    if (wanted != null) {
      if (state.payoutMethod(wanted).isEmpty()) {
        return new Decision.Rejected(
            Rejection.invalid("default_payout_method", "is not one of the user's payout methods"));
      }
      if (!wanted.equals(state.defaultPayoutMethod())) {
        events.add(new DefaultPayoutMethodChanged(wanted));
      }
    }
    return new Decision.Accepted(state.id(), events, false);
  }

  private Decision decideSend(User state, Instant now) {
    List<Instant> recent = recentSends(state, now);
    if (!recent.isEmpty()
        && recent.get(recent.size() - 1).plus(policy.minResendInterval()).isAfter(now)) {
      return new Decision.Rejected(
          Rejection.of(
              Rejection.THROTTLED,
              "a code was sent less than "
                  + policy.minResendInterval().toSeconds()
                  + " seconds ago; wait before asking again"));
    }
    if (recent.size() >= policy.maxSendsPerHour()) {
      return new Decision.Rejected(
          Rejection.of(
              Rejection.THROTTLED,
              "at most " + policy.maxSendsPerHour() + " codes may be sent per hour"));
    }
    String code = codes.newCode();
    var issued =
        new VerificationTokenIssued(codes.hash(state.id(), code), now.plus(policy.codeTtl()));
    var sms =
        new Notification.Sms(
            state.profile().phone().e164(),
            "Your verification code is "
                + code
                + ". It expires in "
                + policy.codeTtl().toMinutes()
                + " minutes.");
    return new Decision.Accepted(state.id(), List.of(issued), false, List.of(sms));
  }

  private Decision decideVerify(User state, VerifyUser verify, Instant now) {
    if (verify.code() == null || !verify.code().matches("[0-9]{6}")) {
      return new Decision.Rejected(Rejection.invalid("token", "must be the 6-digit code"));
    }
    PendingCode code = state.pendingCode();
    if (code == null) {
      return new Decision.Rejected(
          Rejection.invalid("token", "no code is pending; send a verification token first"));
    }
    if (code.locked()) {
      return new Decision.Rejected(
          Rejection.of(Rejection.LOCKED, "too many wrong codes; send a new verification token"));
    }
    if (!now.isBefore(code.expiresAt())) {
      return new Decision.Rejected(
          Rejection.of(Rejection.EXPIRED, "the code has expired; send a new verification token"));
    }
    if (!codes.matches(state.id(), verify.code(), code.codeHash())) {
      int attempts = code.attempts() + 1;
      boolean locked = attempts >= policy.maxAttempts();
      var failed = new VerificationAttemptFailed(attempts, locked);
      return locked
          ? new Decision.Rejected(
              Rejection.of(Rejection.LOCKED, "too many wrong codes; send a new verification token"),
              List.of(failed))
          : new Decision.Rejected(
              Rejection.invalid(
                  "token", "wrong code; " + (policy.maxAttempts() - attempts) + " attempts left"),
              List.of(failed));
    }
    return new Decision.Accepted(state.id(), List.of(new UserVerified()), false);
  }

  private Decision decideCompliance(User state, CommandEnvelope envelope, SubmitCompliance submit) {
    var shape = complianceRules.shape(submit);
    if (shape.isPresent()) {
      return new Decision.Rejected(shape.get());
    }
    if (submit.w8ben() != null) {
      return complianceRules
          .validate(submit.w8ben())
          .<Decision>map(Decision.Rejected::new)
          .orElseGet(
              () ->
                  new Decision.Accepted(
                      state.id(),
                      withAddress(
                          state, new W8BenSubmitted(submit.w8ben()), submit.w8ben().address()),
                      false));
    }
    W9 w9 = submit.w9();
    var result = complianceRules.validate(w9);
    if (result instanceof ComplianceRules.W9Result.Invalid invalid) {
      return new Decision.Rejected(invalid.rejection());
    }
    var valid = (ComplianceRules.W9Result.Valid) result;
    boolean business = w9.entityType().equals("business");
    String name = business ? w9.businessName() : w9.firstName() + " " + w9.lastName();
    // The command id names the submission: a resubmission is a new command, so it supersedes.
    var submitted =
        new TinSubmitted(
            envelope.commandId(), w9.entityType(), valid.type(), valid.digits(), name, business);
    return new Decision.Accepted(state.id(), withAddress(state, submitted, w9.address()), false);
  }

  /** A form's event, and the profile's new address if the form gives another one. */
  private static List<Event> withAddress(User state, Event form, Command.Address address) {
    if (address == null || address.equals(state.profile().address())) {
      return List.of(form);
    }
    return List.of(form, new UserUpdated(state.profile().withAddress(address)));
  }

  private Decision decideAddPayoutMethod(
      User state, CommandEnvelope envelope, AddPayoutMethod add, String ofacStatus) {
    if ("flagged".equals(ofacStatus)) {
      return new Decision.Rejected(
          new Rejection(
              Rejection.CONFLICT,
              "ofac_status",
              "the user is flagged on the OFAC sanctions list; no payout method can be added"));
    }
    var result = payoutRules.validate(add.details());
    if (result instanceof PayoutRules.Result.Invalid invalid) {
      return new Decision.Rejected(invalid.rejection());
    }
    PayoutDetails details = ((PayoutRules.Result.Valid) result).details();
    for (PayoutMethod existing : state.payoutMethods()) {
      if (existing.details().identity().equals(details.identity())) {
        return new Decision.Rejected(
            new Rejection(
                Rejection.CONFLICT,
                identityField(details),
                "this account is already the user's payout method " + existing.id()));
      }
    }
    if (state.payoutMethods().size() >= MAX_PAYOUT_METHODS) {
      return new Decision.Rejected(
          Rejection.of(
              Rejection.CONFLICT,
              "a user has at most " + MAX_PAYOUT_METHODS + " payout methods; remove one first"));
    }
    String id = payoutMethodId(envelope.commandId());
    List<Event> events = new ArrayList<>();
    events.add(new PayoutMethodAdded(id, details));
    if (state.defaultPayoutMethod() == null) {
      events.add(new DefaultPayoutMethodChanged(id)); // the first one is where payouts go
    }
    return new Decision.Accepted(state.id(), events, false);
  }

  private static Decision decideRemovePayoutMethod(User state, RemovePayoutMethod remove) {
    if (remove.payoutMethodId() == null || state.payoutMethod(remove.payoutMethodId()).isEmpty()) {
      return new Decision.Rejected(
          Rejection.notFound("no payout method " + remove.payoutMethodId()));
    }
    List<Event> events = new ArrayList<>();
    events.add(new PayoutMethodRemoved(remove.payoutMethodId()));
    if (remove.payoutMethodId().equals(state.defaultPayoutMethod())) {
      events.add(new DefaultPayoutMethodChanged(null));
    }
    return new Decision.Accepted(state.id(), events, false);
  }

  static String payoutMethodId(String commandId) {
    return io.userpipe.schemas.PayoutMethodIds.of(commandId);
  }

  private static String identityField(PayoutDetails d) {
    return switch (d.kind()) {
      case PayoutDetails.ACH -> "ach.account_number";
      case PayoutDetails.PAYPAL -> "paypal.email";
      case PayoutDetails.VENMO -> "venmo.phone_number";
      default -> "cash_app.cashtag";
    };
  }

  private List<Instant> recentSends(User state, Instant now) {
    Instant hourAgo = now.minusSeconds(3600);
    return state.codeSends().stream().filter(t -> t.isAfter(hourAgo)).toList();
  }

  /** Applies one event; {@code state} is null before the creation. */
  public static User evolve(User state, String userId, Event event, String platformId, Instant at) {
    if (event instanceof UserCreated c) {
      return new User(
          userId,
          1,
          List.of(platformId),
          c.profile(),
          false,
          false,
          null,
          List.of(),
          at,
          List.of(),
          null);
    }
    User next = state.next();
    if (event instanceof PlatformConnected) {
      var platforms = new ArrayList<>(state.platforms());
      platforms.add(platformId);
      return next.withPlatforms(platforms);
    }
    if (event instanceof UserUpdated u) {
      return next.withProfile(u.profile());
    }
    if (event instanceof UserDeleted) {
      return next.asDeleted();
    }
    if (event instanceof VerificationTokenIssued issued) {
      var sends = new ArrayList<Instant>();
      state.codeSends().stream().filter(t -> t.isAfter(at.minusSeconds(3600))).forEach(sends::add);
      sends.add(at);
      return next.withVerification(
          state.verified(),
          new PendingCode(issued.codeHash(), issued.expiresAt(), 0, false),
          sends);
    }
    if (event instanceof VerificationAttemptFailed failed) {
      PendingCode code = Objects.requireNonNull(state.pendingCode(), "attempt without a code");
      return next.withVerification(
          state.verified(),
          new PendingCode(code.codeHash(), code.expiresAt(), failed.attempts(), failed.locked()),
          state.codeSends());
    }
    if (event instanceof UserVerified) {
      return next.withVerification(true, null, state.codeSends());
    }
    if (event instanceof PayoutMethodAdded added) {
      var methods = new ArrayList<>(state.payoutMethods());
      methods.add(new PayoutMethod(added.payoutMethodId(), added.details()));
      return next.withPayoutMethods(methods, state.defaultPayoutMethod());
    }
    if (event instanceof PayoutMethodRemoved removed) {
      var methods = new ArrayList<>(state.payoutMethods());
      methods.removeIf(m -> m.id().equals(removed.payoutMethodId()));
      return next.withPayoutMethods(methods, state.defaultPayoutMethod());
    }
    if (event instanceof DefaultPayoutMethodChanged changed) {
      return next.withPayoutMethods(state.payoutMethods(), changed.payoutMethodId());
    }
    if (event instanceof TinSubmitted || event instanceof W8BenSubmitted) {
      return next; // the forms are the verifiers' and the views' business
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  private static String orElse(String value, String dflt) {
    return value == null ? dflt : value;
  }
}
