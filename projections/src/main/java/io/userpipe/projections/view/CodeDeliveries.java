package io.userpipe.projections.view;

import io.userpipe.schemas.LastCodeDelivery;
import io.userpipe.schemas.SmsDelivery;
import io.userpipe.schemas.UserView;
import java.util.Map;

/**
 * Folds what became of each text message into the user's last code ({@code UserView.last_code}):
 * the latest message by when it was made is the last code; for it, a status further along replaces
 * one before it (Twilio's callbacks may come out of order, a record may come twice), never the
 * reverse. Pure: a replay of {@code sms.deliveries} folds to the same value.
 */
public final class CodeDeliveries {

  /** How far along each status is; an unknown one counts as just handed over. */
  private static final Map<String, Integer> PROGRESS =
      Map.ofEntries(
          Map.entry("accepted", 0),
          Map.entry("scheduled", 1),
          Map.entry("queued", 1),
          Map.entry("sending", 2),
          Map.entry("sent", 3),
          Map.entry("delivered", 4),
          Map.entry("undelivered", 4),
          Map.entry("failed", 4),
          Map.entry("canceled", 4),
          Map.entry("refused", 4),
          Map.entry("rate_limited", 4),
          Map.entry("unsent", 4),
          Map.entry("read", 5));

  private CodeDeliveries() {}

  /** The view with the delivery folded in; {@code view} itself when it changes nothing. */
  public static UserView fold(UserView view, SmsDelivery delivery) {
    if (view == null || view.getDeleted()) {
      return view;
    }
    LastCodeDelivery before = view.getLastCode();
    LastCodeDelivery after = last(before, delivery);
    return after == before ? view : UserView.newBuilder(view).setLastCode(after).build();
  }

  static LastCodeDelivery last(LastCodeDelivery last, SmsDelivery delivery) {
    boolean sameMessage = last != null && last.getMessageId().equals(delivery.getMessageId());
    if (last != null && !sameMessage && !delivery.getMessageCreatedAt().isAfter(last.getSentAt())) {
      return last; // about an earlier code
    }
    if (sameMessage && progress(delivery.getStatus()) < progress(last.getStatus())) {
      return last; // a callback that comes after a later one
    }
    return LastCodeDelivery.newBuilder()
        .setMessageId(delivery.getMessageId())
        .setPlatformId(delivery.getPlatformId())
        .setSentAt(delivery.getMessageCreatedAt())
        .setStatus(delivery.getStatus())
        .setErrorCode(delivery.getErrorCode())
        .setUpdatedAt(delivery.getOccurredAt())
        .build();
  }

  /** Whether {@code later} says more of the last code than {@code earlier} (null: nothing yet). */
  public static boolean supersedes(SmsDelivery earlier, SmsDelivery later) {
    if (earlier == null) {
      return true;
    }
    if (!earlier.getMessageId().equals(later.getMessageId())) {
      return later.getMessageCreatedAt().isAfter(earlier.getMessageCreatedAt());
    }
    return progress(later.getStatus()) >= progress(earlier.getStatus());
  }

  private static int progress(String status) {
    return PROGRESS.getOrDefault(status, 0);
  }
}
