package io.userpipe.projections.topology;

import io.userpipe.schemas.vocabulary.OfacStatus;
import java.util.Set;

/** The statuses that wait on someone: the user (ID verification) or a reviewer. */
public final class ReviewQueue {
  public static final Set<String> QUEUED =
      Set.of(OfacStatus.ID_VERIFICATION_REQUIRED.wire(), OfacStatus.IN_REVIEW.wire());

  private ReviewQueue() {}
}
