package io.userpipe.commands.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fact about one user. The platform an event concerns is the one that sent the command behind it
 * (the event's {@code platform_id}).
 */
public sealed interface Event {

  /** A new person; the creating platform is connected, with {@code metadata} as its own. */
  record UserCreated(Profile profile, Map<String, String> metadata) implements Event {
    public UserCreated {
      metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
  }

  /**
   * Written by the version before connections (no longer decided): an existing user was connected
   * to one more platform. It folds as a connection that sees every field, as it did.
   */
  record PlatformConnected() implements Event {}

  /**
   * A platform not yet connected sent a create with this person's phone: its connection is pending
   * until the person confirms with a code. The person's profile does not change.
   */
  record ConnectionRequested(Set<String> fieldsSent, Profile sent, Map<String, String> metadata)
      implements Event {
    public ConnectionRequested {
      fieldsSent = Set.copyOf(fieldsSent);
      metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
  }

  /** The person entered the code sent on the platform's behalf: it is connected. */
  record ConnectionConfirmed() implements Event {}

  /** The platform left; the others keep the user. */
  record PlatformDisconnected() implements Event {}

  /**
   * The last connected platform left, but the person's OFAC status is not unflagged: the data is
   * kept (a legal hold) and erasure waits for an operator.
   */
  record ErasureHeld(String ofacStatus) implements Event {}

  /** The person's profile after a change; {@code fieldsSent} are the fields the platform sent. */
  record UserUpdated(Profile profile, Set<String> fieldsSent) implements Event {
    public UserUpdated {
      fieldsSent = Set.copyOf(fieldsSent);
    }
  }

  /** The platform replaced its own metadata. */
  record MetadataChanged(Map<String, String> metadata) implements Event {
    public MetadataChanged {
      metadata = Map.copyOf(metadata);
    }
  }

  /** The user is gone, and with it the key to its personal data. */
  record UserDeleted() implements Event {}

  record VerificationTokenIssued(byte[] codeHash, Instant expiresAt) implements Event {}

  record VerificationAttemptFailed(int attempts, boolean locked) implements Event {}

  record UserVerified() implements Event {}

  /**
   * A W-9 with a structurally valid TIN: verification starts. {@code tin} and {@code name} are
   * sealed before the event leaves the service; {@code screening}, the form's names to screen, is
   * sealed apart from them, for a screener that must never open a TIN.
   */
  record TinSubmitted(
      String submissionId,
      String entityType,
      TinRules.TinType tinType,
      String tin,
      String name,
      boolean business,
      List<FormNames.Name> screening)
      implements Event {
    public TinSubmitted {
      screening = List.copyOf(screening);
    }

    public String last4() {
      return TinRules.last4(tin);
    }

    @Override
    public String toString() {
      return "TinSubmitted[" + submissionId + ", " + tinType + ", ***" + last4() + "]";
    }
  }

  /**
   * A W-8BEN was collected: the form is sealed whole, its names to screen apart from it (the form
   * holds a foreign tax id and treaty claims, which the screener has no need to read).
   */
  record W8BenSubmitted(Command.W8Ben form, List<FormNames.Name> screening) implements Event {
    public W8BenSubmitted {
      screening = List.copyOf(screening);
    }
  }

  /** A payout method, validated and normalized; its details are sealed on the way out. */
  record PayoutMethodAdded(String payoutMethodId, PayoutDetails details) implements Event {}

  record PayoutMethodRemoved(String payoutMethodId) implements Event {}

  /** The method payouts go to; null when the user has none left. */
  record DefaultPayoutMethodChanged(String payoutMethodId) implements Event {}
}
