package io.userpipe.local;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh valid US phone numbers for end-to-end tests, unique across the test classes that share one
 * broker (and so one phone registry) in a run.
 */
final class TestPhones {
  private static final AtomicInteger NEXT = new AtomicInteger(100);

  private TestPhones() {}

  /** The national number of a new 202-55x-xxxx phone (202-555-01xx is fictional but not valid). */
  static String next() {
    return "20255" + String.format(Locale.ROOT, "%05d", NEXT.incrementAndGet());
  }
}
