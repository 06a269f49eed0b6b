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
