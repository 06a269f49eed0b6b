package io.userpipe.commands.domain;

import java.util.List;

/** The outcome of deciding one command against the current state. */
public sealed interface Decision {

  /** Accepted; its events (none for a no-op) are appended and its notifications sent. */
  record Accepted(
      String userId, List<Event> events, boolean created, List<Notification> notifications)
      implements Decision {
    public Accepted {
      events = List.copyOf(events);
      notifications = List.copyOf(notifications);
    }

    public Accepted(String userId, List<Event> events, boolean created) {
      this(userId, events, created, List.of());
    }
  }

  /**
   * Accepted: the user's key is to be re-wrapped under the active data key. The decider knows no
   * keys; the processor, which holds them, re-wraps the key only if an older data key wraps it (an
   * already re-wrapped key is left as it is). No event: the user's data is sealed under the user's
   * own key, which does not change, only the data key that wraps it.
   */
  record RewrapKey(String userId) implements Decision {}

  /**
   * Refused, for a reason. A refusal may still leave a trace: a wrong code counts as an attempt, so
   * it is refused and its attempt recorded.
   */
  record Rejected(Rejection rejection, List<Event> events) implements Decision {
    public Rejected {
      events = List.copyOf(events);
    }

    public Rejected(Rejection rejection) {
      this(rejection, List.of());
    }
  }
}
