package io.userpipe.commands.domain;

import java.util.List;

/** The outcome of deciding one command against the current state. */
public sealed interface Decision {

  /** The command is accepted; its events (possibly none, for a no-op) are to be appended. */
  record Accepted(String userId, List<Event> events, boolean created) implements Decision {
    public Accepted {
      events = List.copyOf(events);
    }
  }

  record Rejected(Rejection rejection) implements Decision {}
}
