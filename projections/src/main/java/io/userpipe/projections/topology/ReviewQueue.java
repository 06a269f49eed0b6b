package io.userpipe.projections.topology;

import java.util.Set;

/** The statuses that wait on someone: the user (ID verification) or a reviewer. */
public final class ReviewQueue {
  public static final Set<String> QUEUED = Set.of("id_verification_required", "in_review");

  private ReviewQueue() {}
}
