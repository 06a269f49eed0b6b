package io.userpipe.schemas;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A payout method's id, derived from the command that added it: the deciding service and the HTTP
 * edge (which answers with the new method) agree on it without asking each other, and a replay
 * yields the same id.
 */
public final class PayoutMethodIds {

  private PayoutMethodIds() {}

  public static String of(String commandId) {
    return "pm_"
        + UUID.nameUUIDFromBytes(("payout-method:" + commandId).getBytes(StandardCharsets.UTF_8));
  }
}
