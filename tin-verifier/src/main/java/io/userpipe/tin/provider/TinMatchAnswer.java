package io.userpipe.tin.provider;

import java.time.Duration;

/** What a provider says: an IRS answer code, or "not yet" (slow and bulk providers). */
public sealed interface TinMatchAnswer {

  /** The IRS answer code 0-8. */
  record Answered(int irsCode) implements TinMatchAnswer {}

  /** No answer yet: ask again after this long. */
  record NotYet(Duration retryAfter) implements TinMatchAnswer {}
}
