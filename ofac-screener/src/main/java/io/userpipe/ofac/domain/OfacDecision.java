package io.userpipe.ofac.domain;

import io.userpipe.schemas.vocabulary.RejectionCode;
import java.util.List;

/** The decider's answer: the events of an accepted input, or why it is refused. */
public sealed interface OfacDecision {
  record Accepted(List<OfacEvent> events) implements OfacDecision {
    public Accepted {
      events = List.copyOf(events);
    }
  }

  /** A refused command, answered as {@code CommandRejected{code, field, message}}. */
  record Rejected(RejectionCode code, String field, String message) implements OfacDecision {}
}
