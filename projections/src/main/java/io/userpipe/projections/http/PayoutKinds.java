package io.userpipe.projections.http;

import java.util.Set;

/** The payout kinds (Dots' {@code platform} values) this service pays on. */
final class PayoutKinds {

  private PayoutKinds() {}

  static final Set<String> ALL = Set.of("ach", "paypal", "venmo", "cash_app");
}
